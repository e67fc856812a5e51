from build import *
MARKED = set("""Argentina;Australia;Belgium;Bolivia (Plurinational State of);Brazil;Canada;Chile;China;Colombia;Cuba;Denmark;El Salvador;France;Greece;Guatemala;Haiti;Honduras;India;Iran (Islamic Republic of);Italy;Liberia;Netherlands;New Zealand;Nicaragua;Norway;Panama;Paraguay;Peru;Poland;Portugal;Romania;South Africa;Spain;Sweden;Switzerland;Thailand;United Kingdom of Great Britain and Northern Ireland;Uruguay;Venezuela (Bolivarian Republic of)""".split(';'))
rows = rows_from('raw/ilo_wp.txt', 'ilo_wikipedia_2025', '{name} | {date}')
for r in rows:
    if r[2] in MARKED: r[6] = f'{r[2]} ... | ' + r[6].split(' | ')[1]
write('ilo', rows)
