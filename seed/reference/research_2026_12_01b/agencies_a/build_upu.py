from build import *
OV = {"Aruba, Curaçao and Sint Maarten": "", "Bolivia": "BO", "Bulgaria (Rep.)": "BG", "Central African Rep.": "CF",
      "China (People's Rep.)": "CN", "Congo (Rep.)": "CG", "Côte d'Ivoire (Rep.)": "CI",
      "Dem People's Rep. of Korea": "KP", "Finland (including the Åland Islands)": "FI", "Honduras (Rep.)": "HN",
      "Iran (Islamic Rep.)": "IR", "Korea (Rep.)": "KR", "Lao People's Dem. Rep.": "LA"}
rows = rows_from('raw/upu_official_partial.txt', 'upu_official_member_countries', '- {name}', overrides=OV)
write('upu', rows)
