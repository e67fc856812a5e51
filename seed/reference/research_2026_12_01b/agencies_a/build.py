import csv, sys, re, datetime
sys.path.insert(0, '.')
from iso import code
MONTHS = {m: i for i, m in enumerate(['january','february','march','april','may','june','july','august','september','october','november','december'], 1)}
def parse_date(s):
    s = s.strip()
    if not s: return '', ''
    m = re.fullmatch(r'(\d{1,2}) ([A-Za-z]+) (\d{4})', s)
    if m: return f'{int(m[3]):04d}-{MONTHS[m[2].lower()]:02d}-{int(m[1]):02d}', 'day'
    m = re.fullmatch(r'(\d{1,2})[./](\d{1,2})[./](\d{4})', s)
    if m: return f'{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}', 'day'
    m = re.fullmatch(r'(\d{4})-(\d{2})-(\d{2})', s)
    if m: return s, 'day'
    m = re.fullmatch(r'(\d{4})', s)
    if m: return s, 'year'
    raise ValueError(s)
HDR = ['list_id','country_code','country_name_on_page','member_since','member_since_precision','status_on_page','quote']
def rows_from(raw, list_id, quote_fmt, status='member', overrides=None):
    out = []
    overrides = overrides or {}
    for line in open(raw, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = line.split('|')
        name, date = parts[0], (parts[1] if len(parts) > 1 else '')
        st = parts[2] if len(parts) > 2 and parts[2] else status
        c = overrides.get(name) if name in overrides else code(name)
        if c is None: raise SystemExit(f'no code for {name!r}')
        iso, prec = parse_date(date)
        out.append([list_id, c, name, iso, prec, st, quote_fmt.format(name=name, date=date).strip()])
    return out
def write(org, rows):
    with open(f'members_{org}.csv', 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f); w.writerow(HDR); w.writerows(rows)
    print(org, len(rows))
