pattern = "\d+\s*"
ok = r"\d+"
