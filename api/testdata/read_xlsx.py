"""Reads a Sinergi honorarium export with openpyxl in read-only mode (which
trusts the sheet's declared dimension) and prints what a second library sees
as JSON: every row's values and the number format of every cell."""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
ws = wb["Honorarium"]
rows, formats = [], []
for row in ws.iter_rows():
    rows.append([c.value for c in row])
    formats.append([getattr(c, "number_format", None) for c in row])
print(json.dumps({"dimension": ws.calculate_dimension(), "max_row": ws.max_row, "rows": rows, "formats": formats}, default=str))
