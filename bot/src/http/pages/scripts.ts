// Customer page scripts: ES5 on purpose (old phone browsers), no libraries, relative URLs only.

/**
 * The lobby: a live waiting timer, live status over EventSource with XHR polling as fallback, and a
 * move to the call (or a reload that shows why not) when the state changes.
 */
export function lobbyScript(waitedSeconds: number, texts: { reconnecting: string }): string {
  return `(function(){
var start=new Date().getTime()-${Math.max(0, Math.floor(waitedSeconds))}*1000,lastMsg=null,done=false,delay=2000;
var timer=document.getElementById('timer'),msg=document.getElementById('msg'),msgText=document.getElementById('msg-text'),net=document.getElementById('net');
function pad(n){return n<10?'0'+n:''+n}
function tick(){var s=Math.floor((new Date().getTime()-start)/1000);if(s<0)s=0;var h=Math.floor(s/3600),m=Math.floor(s/60)%60;timer.innerHTML=(h?h+':'+pad(m):m)+':'+pad(s%60)}
tick();setInterval(tick,1000);
function apply(st){if(done)return;net.hidden=true;
if(st.phase==='lobby'){if(st.lobbyMessage&&st.lobbyMessage.at!==lastMsg){lastMsg=st.lobbyMessage.at;msgText.textContent=st.lobbyMessage.text;msg.hidden=false}return}
done=true;if(st.phase==='live'&&st.next){location.replace(st.next)}else{location.reload()}}
function offline(){net.textContent=${JSON.stringify(texts.reconnecting)};net.hidden=false}
function poll(){var x=new XMLHttpRequest();x.open('GET','status',true);x.setRequestHeader('Accept','application/json');
x.onreadystatechange=function(){if(x.readyState!==4)return;if(x.status===200){delay=2000;try{apply(JSON.parse(x.responseText))}catch(e){}}else if(x.status>=400&&x.status<500){done=true;location.reload();return}else{offline();delay=Math.min(delay*2,15000)}if(!done)setTimeout(poll,delay)};x.send()}
if(window.EventSource){var es=new EventSource('status'),fails=0;es.addEventListener('status',function(e){fails=0;try{apply(JSON.parse(e.data))}catch(err){}});
es.onerror=function(){fails++;offline();if(fails>3){es.close();poll()}}}else{poll()}
})();`;
}

/** The "too early" page reloads itself when the link opens. */
export function reloadAtScript(delayMs: number): string {
  return `setTimeout(function(){location.reload()},${Math.max(1000, Math.min(delayMs, 2147483000))});`;
}
