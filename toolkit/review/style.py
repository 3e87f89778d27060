"""How the review page looks (`STYLE`) and its small script (`SCRIPT`)."""

STYLE = """*{box-sizing:border-box}
body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:.8rem;
color:#1f2328;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.15rem;margin:.1rem 0}
h3{font-size:1rem;margin:.8rem 0 .3rem}a{color:#0b57d0}
.meta,.count{color:#57606a;font-size:.9rem}
#live{background:#eef6ee;border-left:4px solid #2e7d32;padding:.4rem .6rem;margin:.4rem 0}
#live.busy{background:#fff8e1;border-color:#f9a825}#live.off{background:#f4f6f8;border-color:#888}
.shared{margin:.4rem 0;padding:0;list-style:none}.shared li{margin:.2rem 0}
.players audio{display:block;width:100%;max-width:32rem;margin:.3rem 0}
.note{background:#fff8e1;border-left:4px solid #f9a825;padding:.4rem .6rem;margin:.4rem 0}
.empty{background:#f4f6f8;padding:1rem;border-radius:.4rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.8rem 0;
padding:.6rem;background:#f4f6f8;border-radius:.4rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;flex:1 1 9rem;min-width:0}
form.filters select,form.filters input,form.filters button{font:inherit;padding:.3rem;
min-height:2.4rem;max-width:100%}
.index{padding-left:1.4rem}.index li{margin:.25rem 0}
section.unit{border-top:2px solid #d0d7de;padding:.8rem 0}
.badge{display:inline-block;font-size:.8rem;padding:.05rem .45rem;border-radius:1rem;
margin:.1rem .2rem .1rem 0;background:#ddf4ff;color:#0a3069;white-space:nowrap}
.badge.broken{background:#ffebe9;color:#82071e}.badge.stale{background:#fff8c5;color:#4d2d00}
.badge.draft{background:#eaeef2;color:#24292f}.badge.expired{background:#eaeef2;color:#57606a}
.badge.live{background:#dafbe1;color:#116329}
.problems{margin:.4rem 0;padding:.4rem .6rem .4rem 1.6rem;background:#ffebe9;
border-radius:.4rem}.problems li{margin:.2rem 0}.problems .warning{color:#4d2d00}
.fix{display:block;color:#1f2328}
code{font-family:ui-monospace,monospace;background:#eaeef2;padding:0 .2rem;border-radius:.2rem}
.versions{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem}
.version{min-width:0}.version.draft{background:#f6f8fa;padding:.4rem;border-radius:.4rem}
.previews{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,9rem),1fr));gap:.4rem}
.previews a{display:block}img{max-width:100%;height:auto;border:1px solid #d0d7de}
.clips{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-start}
figure{margin:0;flex:1 1 16rem;max-width:30rem;min-width:0}figcaption{font-size:.85rem}
video{display:block;width:100%;max-height:26rem;background:#000}
.sms{background:#f4f6f8;padding:.5rem;font-family:ui-monospace,monospace;white-space:pre-wrap}
.feed{border:1px solid #d0d7de;border-radius:.4rem;padding:.5rem}.feed h4{margin:0 0 .2rem}
.behind{background:#fff8c5;padding:.2rem .4rem}
.feed iframe{width:100%;height:18rem;border:1px solid #d0d7de;background:#fff}
.files a{display:inline-block;margin:0 .7rem .2rem 0}"""

# Reloads the page when the live loop says its files changed (an event whose data is
# not this page's generation), keeping the scroll position; shows what it is doing.
SCRIPT = """(function(){
var body=document.body,gen=body.getAttribute('data-generation'),
key='review-scroll:'+location.pathname+location.search,saved=sessionStorage.getItem(key);
if(saved!==null){sessionStorage.removeItem(key);
var restore=function(){window.scrollTo(0,Number(saved))};restore();
window.addEventListener('load',restore);}
document.querySelectorAll('form.filters select').forEach(function(s){
s.addEventListener('change',function(){s.form.submit()})});
if(!gen||!window.EventSource)return;
var live=document.getElementById('live'),source=new EventSource('/events');
function reload(e){if(e.data!==gen){source.close();
sessionStorage.setItem(key,String(window.scrollY));location.reload();}}
source.addEventListener('hello',reload);source.addEventListener('reload',reload);
source.addEventListener('status',function(e){var s=JSON.parse(e.data);
live.textContent=s.text;live.className=s.busy?'busy':'';});
source.onerror=function(){live.textContent=live.getAttribute('data-offline');
live.className='off';};
})();"""
