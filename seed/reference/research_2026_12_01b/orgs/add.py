import csv, sys, os
# usage: python3 add.py org field value precision url publisher kind quote
f='facts.csv'
new=not os.path.exists(f)
with open(f,'a',newline='') as fh:
    w=csv.writer(fh)
    if new: w.writerow('organization,field,value,precision,url,publisher,kind,quote'.split(','))
    w.writerow(sys.argv[1:9])
