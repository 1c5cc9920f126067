"""Check (c.enum = "E") annotations against Thrift's XML output of the same IDL.

usage: enum_annotations.py IDL_XML IDL_NAME
"""
import sys
import xml.etree.ElementTree as ET

NS = "{http://thrift.apache.org/xml/idl}"
doc = ET.parse(sys.argv[1]).getroot().find(NS + "document")
enums = {e.get("name") for e in doc.findall(NS + "enum")}

def enum_of(node):
    """The enum a field holds: directly, or as a container's element/value."""
    if node.get("type") == "id" and node.get("type-id") in enums:
        return node.get("type-id")
    for child in node:
        if child.tag in (NS + "elemType", NS + "valueType"):
            return enum_of(child)
    return None

problems, checked = [], 0
for struct in doc.iter():
    if struct.tag not in (NS + "struct", NS + "union"):
        continue
    for field in struct.findall(NS + "field"):
        enum = enum_of(field)
        notes = {a.get("key"): a.get("value") for a in field.findall(NS + "annotation")}
        where = f"{sys.argv[2]}: {struct.get('name')}.{field.get('name')}"
        if enum:
            checked += 1
            if notes.get("c.enum") != enum:
                problems.append(f"{where}: holds enum {enum} but is annotated {notes.get('c.enum')!r}")
        elif "c.enum" in notes:
            problems.append(f"{where}: annotated c.enum but holds no enum")
for p in problems:
    print(p)
print(f"{sys.argv[2]}: {checked} enum-typed fields checked")
sys.exit(1 if problems else 0)
