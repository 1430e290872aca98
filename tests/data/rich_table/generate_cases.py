import random, json, sys, io
from rich.console import Console
from rich.table import Table
random.seed(int(sys.argv[1]))
words=["Time","To","First","Token","(ms)","Output","Throughput","Per","User","(tokens/sec/user)","Request","Count","(count)","Sequence","Length","Image","Latency","(ms/image)","Goodput","(per sec)","x","abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"]
out=[]
for k in range(int(sys.argv[2])):
    ncols=random.randint(1,8)
    title=random.choice(["NVIDIA GenAI-Perf | LLM Metrics","NVIDIA GenAI-Perf | Image Retrieval Metrics","", "T"])
    cols=[]
    for c in range(ncols):
        cols.append({"header":random.choice(["Statistic","avg","min","p99","GPU Index"]),"justify":random.choice(["left","right","center"]),"max_width":random.choice([None,None,36,10,5]),"no_wrap":random.random()<0.2})
    rows=[]
    for r in range(random.randint(0,6)):
        row=[]
        for c in range(ncols):
            if random.random()<0.5:
                row.append(" ".join(random.choice(words) for _ in range(random.randint(1,5))))
            else:
                row.append(random.choice(["N/A","1,234,567.89","5.00","-1.00","12.50",""]))
        rows.append(row)
    width=random.choice([100,80,60,40,30,20,15,120,150])
    t=Table(title=title or None)
    for c in cols: t.add_column(c["header"],justify=c["justify"],max_width=c["max_width"],no_wrap=c["no_wrap"])
    for r in rows: t.add_row(*r)
    f=io.StringIO()
    Console(width=width,file=f,force_terminal=False,color_system=None).print(t)
    out.append({"title":title,"columns":cols,"rows":rows,"width":width,"expected":f.getvalue()})
json.dump(out,open(sys.argv[3],"w"))
