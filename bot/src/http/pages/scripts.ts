// Customer page scripts: ES5 on purpose (old phone browsers), no libraries, relative URLs only.

/** The lobby's time-out warning: when it shows, and its texts. */
export type LobbyWarning = {
  readonly timeoutInSeconds: number;
  readonly warningSeconds: number;
  /**
   * The warning for each whole minute it can show (index 0: one minute left, up to the warning's
   * lead rounded up), formatted on the server: the plural rules stay with the catalogue.
   */
  readonly warnTexts: readonly string[];
  /** The line that replaces "we are letting your agent know" once the agent was told. */
  readonly told: string;
};

/**
 * The lobby: a live waiting timer, live status over EventSource with XHR polling as fallback, a
 * move to the call (or a reload that shows why not) when the state changes, and the time-out
 * warning shown `warningSeconds` before the wait runs out (the deadline follows every status, so an
 * agent's note that extends the wait hides it again).
 */
export function lobbyScript(
  waitedSeconds: number,
  texts: { reconnecting: string },
  warning: LobbyWarning,
): string {
  return `(function(){
var start=new Date().getTime()-${Math.max(0, Math.floor(waitedSeconds))}*1000,lastMsg=null,done=false,delay=2000;
var deadline=new Date().getTime()+${Math.max(0, Math.floor(warning.timeoutInSeconds))}*1000,lead=${Math.max(0, Math.floor(warning.warningSeconds))}*1000,shownMin=-1;
var WARN=${JSON.stringify(warning.warnTexts)},TOLD=${JSON.stringify(warning.told)};
var timer=document.getElementById('timer'),msg=document.getElementById('msg'),msgText=document.getElementById('msg-text'),net=document.getElementById('net'),warn=document.getElementById('warn'),warnText=document.getElementById('warn-text'),told=document.getElementById('told');
function pad(n){return n<10?'0'+n:''+n}
function checkWarn(now){var left=deadline-now;if(left>lead){warn.hidden=true;shownMin=-1;return}
var m=Math.max(1,Math.ceil(left/60000));if(m!==shownMin){shownMin=m;warnText.textContent=WARN[Math.min(m,WARN.length)-1]}warn.hidden=false;
if(left<-1500&&!done){poll1()}}
function tick(){var now=new Date().getTime(),s=Math.floor((now-start)/1000);if(s<0)s=0;var h=Math.floor(s/3600),m=Math.floor(s/60)%60;timer.innerHTML=(h?h+':'+pad(m):m)+':'+pad(s%60);checkWarn(now)}
tick();setInterval(tick,1000);
function apply(st){if(done)return;net.hidden=true;
if(st.phase==='lobby'){if(typeof st.timeoutInSeconds==='number'){deadline=new Date().getTime()+st.timeoutInSeconds*1000;checkWarn(new Date().getTime())}
if(st.agentTold&&told){told.textContent=TOLD}
if(st.lobbyMessage&&st.lobbyMessage.at!==lastMsg){lastMsg=st.lobbyMessage.at;msgText.textContent=st.lobbyMessage.text;msg.hidden=false}return}
done=true;if(st.phase==='live'&&st.next){location.replace(st.next)}else{location.reload()}}
function offline(){net.textContent=${JSON.stringify(texts.reconnecting)};net.hidden=false}
var polling=false,lastPoll=0;
function poll1(){var t=new Date().getTime();if(t-lastPoll<3000)return;lastPoll=t;var x=new XMLHttpRequest();x.open('GET','status',true);x.setRequestHeader('Accept','application/json');
x.onreadystatechange=function(){if(x.readyState!==4)return;if(x.status===200){try{apply(JSON.parse(x.responseText))}catch(e){}}else if(x.status>=400&&x.status<500){done=true;location.reload()}};x.send()}
function poll(){polling=true;var x=new XMLHttpRequest();x.open('GET','status',true);x.setRequestHeader('Accept','application/json');
x.onreadystatechange=function(){if(x.readyState!==4)return;if(x.status===200){delay=2000;try{apply(JSON.parse(x.responseText))}catch(e){}}else if(x.status>=400&&x.status<500){done=true;location.reload();return}else{offline();delay=Math.min(delay*2,15000)}if(!done)setTimeout(poll,delay)};x.send()}
if(window.EventSource){var es=new EventSource('status'),fails=0;es.addEventListener('status',function(e){fails=0;try{apply(JSON.parse(e.data))}catch(err){}});
es.onerror=function(){fails++;offline();if(fails>3){es.close();if(!polling)poll()}}}else{poll()}
})();`;
}

/** The "too early" page reloads itself when the link opens. */
export function reloadAtScript(delayMs: number): string {
  return `setTimeout(function(){location.reload()},${Math.max(1000, Math.min(delayMs, 2147483000))});`;
}

/**
 * The lobby's camera and microphone check (browser call): shows the button (hidden without script),
 * then on request a self view and a microphone level; everything stops on Stop and when the page
 * goes (admitted, Leave, closed), so the call page can open the devices afresh.
 */
export function mediaCheckScript(texts: {
  readonly denied: string;
  readonly failed: string;
}): string {
  return `(function(){
var md=navigator.mediaDevices,start=document.getElementById('check-start'),live=document.getElementById('check-live'),stopB=document.getElementById('check-stop'),video=document.getElementById('check-video'),meter=document.getElementById('check-meter'),err=document.getElementById('check-err');
if(!md||!md.getUserMedia||!start)return;start.hidden=false;var stream=null,ctx=null,raf=0;
function stop(){if(raf)cancelAnimationFrame(raf);raf=0;if(stream){var t=stream.getTracks();for(var i=0;i<t.length;i++)t[i].stop()}stream=null;if(ctx&&ctx.close)ctx.close();ctx=null;video.srcObject=null;live.hidden=true;start.hidden=false}
function level(an,buf){an.getByteTimeDomainData(buf);var max=0;for(var i=0;i<buf.length;i++){var v=Math.abs(buf[i]-128)/128;if(v>max)max=v}meter.value=Math.min(1,max*2);raf=requestAnimationFrame(function(){level(an,buf)})}
start.addEventListener('click',function(){err.hidden=true;start.disabled=true;
md.getUserMedia({video:true,audio:true}).then(function(s){stream=s;video.srcObject=s;live.hidden=false;start.hidden=true;start.disabled=false;
var AC=window.AudioContext||window.webkitAudioContext;if(AC&&s.getAudioTracks().length){ctx=new AC();var an=ctx.createAnalyser();an.fftSize=512;ctx.createMediaStreamSource(s).connect(an);level(an,new Uint8Array(an.fftSize))}
stopB.focus()},function(e){start.disabled=false;err.textContent=e&&(e.name==='NotAllowedError'||e.name==='SecurityError')?${JSON.stringify(texts.denied)}:${JSON.stringify(texts.failed)};err.hidden=false})});
stopB.addEventListener('click',function(){stop();start.focus()});
window.addEventListener('pagehide',stop);
})();`;
}
