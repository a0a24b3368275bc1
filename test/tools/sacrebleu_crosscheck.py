# Generates the cross-check corpora (seeded, five scripts, 150 segments each) and scores
# them with the real sacrebleu: BLEU for every tokenizer (corpus, lower-cased, sentence),
# chrF and chrF++ (corpus, sentence, two references), and paired bootstrap / approximate
# randomisation. Writes OUT_DIR/corpora.json and OUT_DIR/sacrebleu-expected.json, stored in
# test/fixtures/metrics-crosscheck/ and read by test/unit/metrics-crosscheck.test.ts.
# Kept compact on purpose: it was sent to a machine with sacrebleu as one short command.
# usage: python3 test/tools/sacrebleu_crosscheck.py OUT_DIR
import json,random,sys,sacrebleu as S
from sacrebleu.metrics import BLEU,CHRF
W={'en':"the The dog bit man wasn't U.S. e-mail New|York 1,000.5 3-4 (hi) \"quoted\" a&b &amp; &quot;x&quot; <skipped> end. co-op $5 50% C++ x/y naïve café",
'zh':"我们 今天 去 北京 ， 。 “你好” —— … 《书》 １２３ ＡＢＣ GPU 3.5 年 的 是 （注） ！ 中文",
'ar':"ذهب الولد إلى المدرسة ، ؟ في الصباح ٢٠٢٤ كتاب جميل . مَرْحَبًا «نص»",
'hi':"मैं स्कूल जाता हूँ । भारत की राजधानी दिल्ली है १२३ किताब",
'mix':"Hello world 😀 🇩🇪 Καλημέρα κόσμε İstanbul güzel Tiếng Việt ひらがな カタカナ 한국어 \xa0 \u3000 \u2009 — – ‘x’ €5 © °C ½ ² \t"}
R=random.Random(7);C={};E={'sacrebleu':S.__version__,'corpora':{}}
def pert(r,w,z):
 if R.random()<.05:return''
 if R.random()<.1:return r
 t=list(r) if z else r.split(' ');o=[]
 for x in t:
  q=R.random()
  if q<.1:continue
  o.append(R.choice(w) if q<.2 else x)
  if R.random()<.05:o.append(R.choice(w))
 if len(o)>2 and R.random()<.3:
  i=R.randrange(len(o)-1);o[i],o[i+1]=o[i+1],o[i]
 return ('' if z else ' ').join(o)
for L,s in W.items():
 w=[x.replace('|',' ') for x in s.split(' ')];z=L=='zh'
 ref=[''if R.random()<.03 else(''if z and R.random()<.7 else' ').join(R.choice(w) for _ in range(R.randint(1,14)))for _ in range(150)]
 h=[pert(r,w,z)for r in ref];b=[pert(r,w,z)for r in ref];C[L]={'ref':ref,'hyp':h,'hypB':b}
 e={'bleu':{},'bleu_lc':{},'sentence_bleu':{}}
 for k in['13a','zh','char','intl','none']:
  m=BLEU(tokenize=k);x=m.corpus_score(h,[ref])
  e['bleu'][k]=dict(score=x.score,counts=x.counts,totals=x.totals,sys_len=x.sys_len,ref_len=x.ref_len,sig=m.get_signature().format(short=True))
  e['bleu_lc'][k]=BLEU(tokenize=k,lowercase=True).corpus_score(h,[ref]).score
  m=BLEU(tokenize=k,effective_order=True);e['sentence_bleu'][k]=[m.sentence_score(p,[r]).score for p,r in zip(h,ref)]
 e['bleu_2refs']=BLEU().corpus_score(h,[ref,b]).score
 for n,o in(('chrf',0),('chrf_pp',2)):
  m=CHRF(word_order=o);e[n]=m.corpus_score(h,[ref]).score;e[n+'_sig']=m.get_signature().format(short=True)
  e[n+'_2refs']=m.corpus_score(h,[ref,b]).score;e['sentence_'+n]=[m.sentence_score(p,[r]).score for p,r in zip(h,ref)]
 from sacrebleu.significance import PairedTest as P
 g={}
 for t,n in(('bs',1000),('ar',10000)):
  _,v=P([('a',h),('b',b)],{'BLEU':BLEU(),'chrF':CHRF()},[ref],test_type=t,n_samples=n,n_ar_confidence=1000 if t=='ar'else-1)()
  g[t]={k:[r.__dict__ for r in v[k]]for k in v if k!='System'}
 e['significance']=g;E['corpora'][L]=e
json.dump(C,open(sys.argv[1]+'/corpora.json','w'),ensure_ascii=False,default=float)
json.dump(E,open(sys.argv[1]+'/sacrebleu-expected.json','w'),ensure_ascii=False,default=float)
