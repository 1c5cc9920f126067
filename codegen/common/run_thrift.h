/*
 * Read a Thrift IDL through the Thrift compiler's own JSON generator, so every
 * tool here sees the IDL exactly as Thrift parses it (typedefs resolved,
 * constants evaluated) without a parser of its own.
 */
#ifndef RUN_THRIFT_H
#define RUN_THRIFT_H

#include <stddef.h>

#include <jansson.h>

/* Run `thrift --gen json -out TMPDIR idl_path` (thrift found on PATH) in a
 * fresh temporary folder, load the JSON it writes and remove the folder.
 * Returns the parsed document (the caller json_decref()s it), or NULL with a
 * one-line message in err: the reason the IDL cannot be read, or thrift's own
 * error output (warnings left out) when thrift fails. */
json_t *idl_load(const char *idl_path, char *err, size_t errsize);

#endif
