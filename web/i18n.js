// Strings in Chinese and English, the language toggle, and formatting of
// times (shown in the server's zone, Asia/Shanghai by default) and numbers.
import { serverLabel } from "./catalogue.js";

const STRINGS = {
  // shell
  "app.name": ["路演协调", "Roadshow"],
  "app.tagline": ["线上招商路演的会前、会中、会后协调", "Coordinating online investment roadshows"],
  "skip": ["跳到主要内容", "Skip to main content"],
  "lang.toggle": ["English", "中文"],
  "lang.toggleLabel": ["Switch to English", "切换到中文"],
  "nav.signout": ["退出", "Sign out"],
  "nav.home": ["首页", "Home"],
  "nav.back": ["← 全部会议", "← All meetings"],
  "conn.reconnecting": ["正在重新连接…您的操作会在连接恢复后自动提交。", "Reconnecting… your changes will be sent when the connection is back."],
  "conn.connecting": ["正在连接…", "Connecting…"],
  "conn.online": ["已连接", "Connected"],
  "loading": ["加载中…", "Loading…"],
  "kind.admin": ["管理员", "Administrator"],
  "kind.organizer": ["会议组织单位", "Organizer"],
  "kind.unit": ["参会单位账号", "Unit account"],
  "kind.participant": ["参会人", "Participant"],
  "optional": ["选填", "optional"],
  "required": ["必填", "required"],
  "cancel": ["取消", "Cancel"],
  "copy": ["复制", "Copy"],
  "copied": ["已复制", "Copied"],
  "copy.failed": ["无法自动复制，请选中文字后手动复制。", "Could not copy automatically; select the text and copy it by hand."],
  "remove": ["删除", "Remove"],
  "yes": ["是", "Yes"],
  "no": ["否", "No"],
  "notYet": ["未确认", "Not yet"],
  "none": ["无", "None"],
  "you": ["（您）", "(you)"],

  // sign-in
  "signin.title": ["登录", "Sign in"],
  "signin.intro": ["请输入管理员发给您的访问令牌。参会人请直接打开收到的邀请链接。", "Enter the access token the administrator gave you. Participants: open the invite link you received instead."],
  "signin.token": ["访问令牌", "Access token"],
  "signin.tokenHint": ["以 rs_ 开头的一串字符", "A string starting with rs_"],
  "signin.submit": ["登录", "Sign in"],
  "signin.busy": ["正在登录…", "Signing in…"],
  "signin.bad": ["此令牌无效或已被停用。请检查是否完整复制，或向管理员索取新令牌。", "This token is not valid or no longer active. Check that you copied all of it, or ask the administrator for a new one."],
  "signin.empty": ["请输入访问令牌。", "Enter your access token."],
  "join.bad": ["此邀请链接无效或已被重新签发。请向会议组织单位索取新的链接。", "This invite link is not valid or was replaced. Ask the organizer for a new link."],

  // admin
  "admin.title": ["账号管理", "Accounts"],
  "admin.intro": ["为会议组织单位和参会单位创建账号。令牌只显示一次。", "Create accounts for organizers and units. Each token is shown only once."],
  "admin.create": ["新建账号", "New account"],
  "admin.name": ["名称", "Name"],
  "admin.nameHint": ["如：市投资促进局", "e.g. City Investment Promotion Bureau"],
  "admin.kind": ["类型", "Kind"],
  "admin.submit": ["创建账号", "Create account"],
  "admin.tokenTitle": ["“{name}”的访问令牌", "Access token for “{name}”"],
  "admin.tokenWarn": ["请现在保存此令牌并安全地交给对方。它不会再次显示；遗失后可在下方账号列表中“重新生成令牌”。", "Save this token now and hand it over securely. It will not be shown again; if it is lost, use “New token” in the list below."],
  "admin.reissue": ["重新生成令牌", "New token"],
  "admin.reissueFor": ["为“{name}”重新生成令牌", "New token for “{name}”"],
  "admin.reissueConfirm": ["为“{name}”生成新令牌？旧令牌立即失效，用它登录的页面会退出。", "Issue a new token for “{name}”? The old token stops working at once and pages signed in with it are signed out."],
  "admin.reissued": ["已为“{name}”生成新令牌", "New token issued for “{name}”"],
  "admin.tokenLost": ["账号已创建，但令牌在重连后无法再次显示。请用新名称再创建一个账号。", "The account was created, but its token cannot be shown again after the reconnect. Create another account under a new name."],
  "admin.tokenDone": ["我已保存", "I have saved it"],
  "admin.list": ["全部账号", "All accounts"],
  "admin.empty": ["还没有账号。先在上方创建一个会议组织单位账号。", "No accounts yet. Create an organizer account above."],
  "admin.col.name": ["名称", "Name"],
  "admin.col.kind": ["类型", "Kind"],
  "admin.col.id": ["编号", "ID"],
  "admin.col.created": ["创建时间", "Created"],
  "admin.created": ["已创建账号“{name}”。", "Account “{name}” created."],

  // meetings
  "meetings.title": ["我的路演会议", "My roadshows"],
  "meetings.new": ["新建路演会议", "New roadshow"],
  "meetings.empty": ["还没有会议。点击“新建路演会议”开始准备第一场。", "No meetings yet. Choose “New roadshow” to prepare the first one."],
  "meetings.open": ["打开", "Open"],
  "meetings.created": ["已创建会议，默认准备清单已生成。", "Meeting created, with the default preparation checklist."],
  "meetings.count": ["共 {n} 场", "{n} in total"],
  "unit.title": ["参会单位", "Unit"],
  "unit.intro": ["转办给本单位的项目将在此显示。", "Projects dispatched to your unit will appear here."],
  "unit.empty": ["目前没有转办给本单位的项目。有新项目时，此页会列出它们。", "No projects are dispatched to your unit yet. They will be listed here when there are."],

  // meeting form
  "form.section.meeting": ["会议", "Meeting"],
  "form.section.company": ["企业", "Company"],
  "form.section.project": ["项目", "Project"],
  "form.section.system": ["会议系统", "Meeting system"],
  "form.title": ["会议名称", "Meeting title"],
  "form.titleHint": ["如：某新能源项目线上路演", "e.g. New-energy project online roadshow"],
  "form.company.name": ["企业名称", "Company name"],
  "form.company.contact": ["联系人", "Contact person"],
  "form.company.phone": ["联系电话", "Contact phone"],
  "form.project.name": ["项目名称", "Project name"],
  "form.project.category": ["项目类别", "Category"],
  "form.project.industry": ["所属产业", "Industry"],
  "form.project.investment": ["投资额（亿元）", "Investment (亿元, 100 million CNY)"],
  "form.startsAt": ["开始时间（北京时间）", "Starts at (China time, UTC+8)"],
  "form.startsAtZone": ["开始时间（{zone}）", "Starts at ({zone})"],
  "form.duration": ["时长（分钟）", "Duration (minutes)"],
  "form.system.name": ["会议系统", "Meeting system"],
  "form.system.nameHint": ["可选择或直接输入", "Pick one or type another"],
  "form.system.room": ["会议号", "Room / meeting ID"],
  "form.system.link": ["会议链接", "Meeting link"],
  "form.create": ["创建会议", "Create meeting"],
  "form.busy": ["正在提交…", "Sending…"],

  // categories, phases, roles
  "category.industrial": ["产业投资类", "Industrial investment"],
  "category.non_industrial": ["非产业投资类", "Non-industrial"],
  "phase.preparing": ["会议准备", "Preparing"],
  "phase.rehearsal": ["会前联调", "Rehearsal"],
  "phase.live": ["会中", "Live"],
  "phase.ended": ["会后跟进", "Follow-up"],
  "phase.dispatched": ["已转办", "Dispatched"],
  "phase.closed": ["已结束", "Closed"],
  "role.host": ["主持人", "Host"],
  "role.recorder": ["记录员", "Recorder"],
  "role.company": ["企业", "Company"],
  "role.unit": ["参会单位", "Attending unit"],
  "role.observer": ["列席", "Observer"],

  // meeting detail
  "m.when": ["时间", "When"],
  "m.duration": ["{n} 分钟", "{n} min"],
  "m.company": ["企业", "Company"],
  "m.project": ["项目", "Project"],
  "m.system": ["会议系统", "Meeting system"],
  "m.room": ["会议号", "Room"],
  "m.link": ["会议链接", "Link"],
  "m.investment": ["{n} 亿元", "{n} 亿元 (CNY 100m)"],
  "m.notFound": ["找不到此会议，或您无权查看。请返回会议列表。", "This meeting was not found or is not yours. Go back to the list."],
  "m.phase": ["阶段", "Phase"],
  "m.tz": ["北京时间", "China time"],

  // checklist
  "cl.title": ["准备清单", "Checklist"],
  "cl.progress": ["已完成 {done}/{total}", "{done}/{total} done"],
  "cl.add": ["添加事项", "Add item"],
  "cl.text": ["事项", "Item"],
  "cl.textHint": ["如：提前发送项目资料", "e.g. Send the project materials"],
  "cl.phase": ["阶段", "Phase"],
  "cl.owner": ["负责人", "Owner"],
  "cl.due": ["截止", "Due"],
  "cl.removeConfirm": ["删除事项“{text}”？", "Remove the item “{text}”?"],
  "cl.removeLabel": ["删除事项：{text}", "Remove item: {text}"],
  "cl.empty": ["此阶段暂无事项。", "No items in this phase."],
  "cl.doneBy": ["{when} 完成", "done {when}"],
  "cl.doneByWho": ["{who} 于 {when} 完成", "done by {who}, {when}"],

  // roster
  "ro.title": ["参会名单", "Roster"],
  "ro.count": ["{n} 人", "{n} people"],
  "ro.add": ["添加参会人", "Add participant"],
  "ro.name": ["姓名", "Name"],
  "ro.unit": ["单位", "Unit"],
  "ro.role": ["角色", "Role"],
  "ro.jobTitle": ["职务", "Title"],
  "ro.phone": ["手机", "Mobile"],
  "ro.email": ["邮箱", "Email"],
  "ro.displayName": ["会议显示名", "Display name"],
  "ro.displayNameHint": ["入会后请改名为：", "In the meeting, rename yourself to:"],
  "ro.attending": ["参会", "Attending"],
  "ro.client": ["客户端", "Client"],
  "ro.account": ["账号", "Account"],
  "ro.clientLong": ["已安装会议客户端", "Client installed"],
  "ro.accountLong": ["已注册会议账号", "Account registered"],
  "ro.empty": ["名单为空。添加企业、主持人、记录员和各参会单位的参会人。", "The roster is empty. Add the company, the host, the recorder and each attending unit."],
  "ro.copyLink": ["复制邀请链接", "Copy invite link"],
  "ro.newLink": ["重新生成链接", "New invite link"],
  "ro.newLinkConfirm": ["为“{name}”重新生成邀请链接？旧链接将立即失效，需要把新链接发给对方。", "Issue a new invite link for “{name}”? The old link stops working at once; send the new one to them."],
  "ro.removeConfirm": ["从名单中删除“{name}”？其邀请链接将失效。", "Remove “{name}” from the roster? Their invite link stops working."],
  "ro.removeLabel": ["删除参会人：{name}", "Remove participant: {name}"],
  "ro.linkTitle": ["“{name}”的邀请链接", "Invite link for “{name}”"],
  "ro.linkWarn": ["请把此链接只发给本人。此后只能重新生成（旧链接会失效）。", "Send this link to this person only. Later it can only be replaced by a new one (the old one then stops working)."],
  "ro.linkLabel": ["邀请链接", "Invite link"],
  "ro.linkLost": ["已添加，但邀请链接在重连后无法再次显示。请点击“重新生成链接”。", "Added, but the invite link cannot be shown again after the reconnect. Use “New invite link”."],
  "ro.added": ["已添加“{name}”。", "Added “{name}”."],
  "ro.confirmedAt": ["{when} 确认", "confirmed {when}"],
  "ro.summary": ["{attending}/{total} 确认参会", "{attending}/{total} attending"],

  // participant
  "p.hello": ["您好，{name}", "Hello, {name}"],
  "p.yourRole": ["您的角色：{role} · {unit}", "Your role: {role} · {unit}"],
  "p.confirm": ["参会确认", "Your confirmation"],
  "p.confirmIntro": ["请告诉组织单位您是否参会，以及会议系统是否已准备好。", "Tell the organizer whether you will attend and whether your meeting system is ready."],
  "p.attendQ": ["您会参加本次会议吗？", "Will you attend this meeting?"],
  "p.attendYes": ["参加", "I will attend"],
  "p.attendNo": ["不参加", "I cannot attend"],
  "p.submit": ["提交确认", "Send confirmation"],
  "p.update": ["更新确认", "Update confirmation"],
  "p.sent": ["已提交，组织单位可以看到您的确认。", "Sent. The organizer can see your confirmation."],
  "p.status": ["您已于 {when} 确认", "You confirmed {when}"],
  "p.statusNone": ["您还没有确认。", "You have not confirmed yet."],
  "p.progress": ["会议准备进度", "Preparation progress"],
  "p.roster": ["参会人", "Who takes part"],
  "p.openLink": ["打开会议链接", "Open the meeting link"],
  "p.gone": ["您已不在此会议的参会名单中。如有疑问请联系会议组织单位。", "You are no longer on this meeting's roster. Contact the organizer if this is unexpected."],

  // ---- rehearsal: phase bar, AV roster, self-test, invitations (phasebar.js, rehearsal.js, selftest.js, invite.js) ----
  "phase.barTitle": ["会议阶段", "Meeting phase"],
  "phase.state.done": ["已完成", "done"],
  "phase.state.current": ["当前阶段", "current phase"],
  "phase.state.todo": ["未开始", "not started"],
  "phase.advanceTo": ["进入下一阶段：{phase}", "Move on to: {phase}"],
  "phase.advanceConfirm": ["把会议从“{from}”推进到“{to}”？阶段推进后不能退回。", "Move the meeting from “{from}” to “{to}”? A phase cannot be undone."],
  "phase.advanceOk": ["推进", "Move on"],
  "phase.advanced": ["会议已进入“{phase}”。", "The meeting is now in “{phase}”."],
  "phase.now": ["当前：{phase}", "Now: {phase}"],
  "phase.gateTitle": ["还不能进入“{phase}”", "Not ready for “{phase}” yet"],
  "phase.gateIntro": ["以下 {n} 项尚未完成。请先返回完成；确需按时开始的，可说明原因后强制推进。", "{n} thing(s) below are not done. Go back and finish them, or, if the meeting must go ahead, force it with a reason."],
  "phase.gateListLabel": ["未完成事项", "What is not done"],
  "phase.blockerKind.checklist": ["准备清单未完成", "Checklist items not done"],
  "phase.blockerKind.participant": ["参会人未就绪", "Participants not ready"],
  "phase.blockerKind.roster": ["参会名单", "Roster"],
  "phase.blockerKind.minutes": ["会议纪要", "Minutes"],
  "phase.blockerKind.other": ["其他", "Other"],
  "phase.blockerPerson": ["{who}：缺 {missing}", "{who}: missing {missing}"],
  "phase.blockerRoster": ["名单上还没有预计参会的人。", "No one on the roster is expected to attend."],
  "phase.blockerMinutes.intent": ["纪要中还没有“投资合作意向”。", "The minutes have no investment intent (投资合作意向) yet."],
  "phase.blockerMinutes.next_contact": ["纪要中还没有“下次沟通”的安排。", "The minutes have no next contact (下次沟通) yet."],
  "phase.listSep": ["、", ", "],
  "phase.goBack": ["返回完成", "Go back and finish"],
  "phase.forceStart": ["说明原因并强制推进…", "Force with a reason…"],
  "phase.forceConfirm": ["强制进入“{phase}”", "Force “{phase}”"],
  "phase.reasonLabel": ["强制推进的原因", "Why the meeting goes ahead anyway"],
  "phase.reasonHint": ["原因会记入会议记录，并出现在纪要和领导报告中。", "The reason is kept with the meeting and shown in the minutes and the leadership report."],
  "phase.reasonRequired": ["请写明强制推进的原因。", "Write why the meeting goes ahead anyway."],
  "phase.forcedTitle": ["已强制进入“{phase}”", "“{phase}” was forced"],
  "phase.forcedReason": ["原因：", "Reason:"],
  "phase.forcedBy": ["{who} · {when}", "{who} · {when}"],
  "phase.forcedOverrode": ["当时有 {n} 项未完成", "{n} thing(s) were not done then"],

  "av.title": ["会前联调 · 音视频测试", "Joint test · audio and video"],
  "av.intro": ["逐一确认每位参会人：已进入会议室、已改名为“姓名-单位”、麦克风和扬声器正常。参会人的自测结果会实时出现在这里。", "Check each participant in turn: in the meeting room, renamed to “name-unit”, microphone and speaker working. Their own self-test results appear here as they come in."],
  "av.readyCount": ["{ready}/{total} 人已就绪", "{ready} of {total} ready"],
  "av.readyProgress": ["已就绪 {done}/{total}", "{done} of {total} ready"],
  "av.groupCount": ["{ready}/{total} 就绪", "{ready}/{total} ready"],
  "av.empty": ["名单为空。先在“参会名单”中添加参会人。", "The roster is empty. Add people under “Roster” first."],
  "av.closed": ["联调已结束，检查结果不能再修改。", "The joint test is over; the checks can no longer change."],
  "av.check.joined": ["已入会", "Joined"],
  "av.check.renamed": ["已改名", "Renamed"],
  "av.check.mic": ["麦克风", "Microphone"],
  "av.check.speaker": ["扬声器", "Speaker"],
  "av.check.camera": ["摄像头", "Camera"],
  "av.state.pass": ["通过", "Pass"],
  "av.state.fail": ["未通过", "Fail"],
  "av.state.pending": ["待重测", "Retest"],
  "av.state.none": ["未检查", "Not checked"],
  "av.mark.pass": ["通过", "Pass"],
  "av.mark.fail": ["不通过", "Fail"],
  "av.mark.pending": ["重测", "Retest"],
  "av.expectedName": ["应显示为", "Should show as"],
  "av.selfTestLabel": ["自测：", "Self-test: "],
  "av.selfShows": ["自报显示名“{name}”", "says it shows “{name}”"],
  "av.noSelfTest": ["尚未自测", "No self-test yet"],
  "av.ready": ["已就绪", "Ready"],
  "av.notReady": ["未就绪", "Not ready"],
  "av.missingShort": ["缺：{list}", "Missing: {list}"],
  "av.notAttending": ["不参会（不计入）", "Not attending (not counted)"],
  "av.checksOf": ["{name} 的检查项", "Checks for {name}"],
  "av.bySelf": ["自测", "self-test"],
  "av.byHost": ["主持人", "host"],
  "av.note": ["备注", "Note"],
  "av.noteHint": ["随下一次标记保存，如：声音断续", "Saved with the next mark, e.g. sound breaks up"],
  "av.selfTestedNews": ["{name} 提交了自测结果", "{name} sent a self-test"],

  "selftest.title": ["会前联调：设备自测", "Joint test: check your devices"],
  "selftest.intro": ["会前请在这里测试麦克风、扬声器和摄像头，并填写您在会议中的显示名。结果会发送给主持人。", "Before the meeting, test your microphone, speaker and camera here and give the name you show in the meeting. The results go to the host."],
  "selftest.myStatus": ["我的联调状态", "My joint-test status"],
  "selftest.tests": ["开始自测", "Run the tests"],
  "selftest.testsAgain": ["重新测试设备", "Test my devices again"],
  "selftest.allReady": ["全部通过，您已准备就绪。", "Everything has passed: you are ready."],
  "selftest.missing": ["还差：{list}。", "Still missing: {list}."],
  "selftest.joinedHint": ["“已入会”由主持人在会议室中看到您后确认，请提前进入会议室。", "“Joined” is confirmed by the host once they see you in the meeting room: join early."],
  "selftest.renamedHint": ["请在会议中改名为“{name}”。", "Rename yourself in the meeting to “{name}”."],
  "selftest.hostNote": ["主持人备注：", "Host's note: "],
  "selftest.hostFailHint": ["主持人判定未通过：调整后请告知主持人重新测试。", "The host marked this as failed: fix it, then ask the host to retest."],
  "selftest.hostMarked": ["主持人更新了您的检查结果。", "The host updated your checks."],
  "selftest.dev.mic": ["麦克风", "Microphone"],
  "selftest.dev.speaker": ["扬声器", "Speaker"],
  "selftest.dev.camera": ["摄像头", "Camera"],
  "selftest.dev.default": ["系统默认", "System default"],
  "selftest.dev.audioinput": ["麦克风 {n}", "Microphone {n}"],
  "selftest.dev.audiooutput": ["扬声器 {n}", "Speaker {n}"],
  "selftest.dev.videoinput": ["摄像头 {n}", "Camera {n}"],
  "selftest.dev.noSinkId": ["本浏览器使用系统默认扬声器；如需更换，请在系统声音设置中选择。", "This browser plays through the system's default speaker; change it in the system's sound settings."],
  "selftest.mic.title": ["麦克风", "Microphone"],
  "selftest.mic.help": ["点击后请正常说几句话。峰值高于 {db} 即为通过。", "Press the button and speak normally. A peak above {db} passes."],
  "selftest.mic.start": ["测试麦克风（{s} 秒）", "Test the microphone ({s} s)"],
  "selftest.mic.running": ["正在录音… {s}", "Listening… {s}"],
  "selftest.mic.again": ["重新测试麦克风", "Test the microphone again"],
  "selftest.mic.meter": ["麦克风音量", "Microphone level"],
  "selftest.mic.speak": ["请现在说话，例如报出您的姓名和单位。", "Speak now, for example say your name and unit."],
  "selftest.mic.peakSoFar": ["峰值", "peak"],
  "selftest.mic.peak": ["峰值", "Peak"],
  "selftest.mic.pass": ["麦克风正常：峰值 {db}。", "The microphone works: peak {db}."],
  "selftest.mic.silent": ["几乎没有声音：峰值 {db}，需高于 {limit}。", "Almost nothing was heard: peak {db}; it must be above {limit}."],
  "selftest.mic.fix.silent": ["请检查麦克风是否被静音、耳机是否插好，靠近麦克风说话后再测一次；也可以在上方换一个麦克风。", "Check that the microphone is not muted and the headset is plugged in, speak close to it and test again, or choose another microphone above."],
  "selftest.mic.err.denied": ["浏览器没有获得麦克风权限。", "The browser was not allowed to use the microphone."],
  "selftest.mic.fix.denied": ["请在浏览器的网站设置中允许本网站使用麦克风（点击地址栏左侧的锁形图标 → 网站设置 → 麦克风 → 允许），然后刷新本页再测。如仍不行，请用手机浏览器打开邀请链接。", "Allow the microphone for this site in the browser's site settings (the lock icon left of the address → Site settings → Microphone → Allow), then reload this page and test again. If that does not work, open your invite link in your phone's browser."],
  "selftest.mic.err.nodevice": ["没有找到麦克风。", "No microphone was found."],
  "selftest.mic.fix.nodevice": ["请插入带麦克风的耳机或外接麦克风后再测；也可以用手机浏览器打开邀请链接。", "Plug in a headset with a microphone, or an external microphone, and test again; or open your invite link in your phone's browser."],
  "selftest.mic.err.busy": ["麦克风正被其他程序占用。", "The microphone is in use by another program."],
  "selftest.mic.fix.busy": ["请先在其他程序（例如会议客户端）中暂时关闭麦克风，或换一个麦克风后再测。", "Release it in the other program (for example the meeting client) for a moment, or choose another microphone, and test again."],
  "selftest.mic.err.unsupported": ["此浏览器无法在网页中使用麦克风。", "This browser cannot use the microphone in a web page."],
  "selftest.mic.fix.unsupported": ["请用最新版的 Chrome、Edge、Safari 或手机浏览器打开邀请链接后再测。", "Open your invite link in a recent Chrome, Edge or Safari, or in your phone's browser, and test again."],
  "selftest.mic.err.insecure": ["此页面不是通过安全连接（https）打开的，浏览器不允许网页使用麦克风。", "This page was not opened over a secure connection (https), so the browser does not let it use the microphone."],
  "selftest.mic.fix.insecure": ["请向会议组织单位索取以 https:// 开头的邀请链接；也可以直接在会议系统中与主持人试音。", "Ask the organizer for an invite link starting with https://, or test your sound with the host in the meeting system itself."],
  "selftest.mic.err.other": ["无法打开麦克风。", "The microphone could not be opened."],
  "selftest.mic.fix.other": ["请检查麦克风连接后重试；如仍不行，请用手机浏览器打开邀请链接。", "Check the microphone's connection and try again; if that does not work, open your invite link in your phone's browser."],
  "selftest.spk.title": ["扬声器", "Speaker"],
  "selftest.spk.help": ["播放测试音（或刚才的录音），然后告诉我们是否听到。", "Play the test tone (or your recording), then tell us whether you heard it."],
  "selftest.spk.tone": ["播放测试音", "Play test tone"],
  "selftest.spk.recording": ["播放我的录音", "Play my recording"],
  "selftest.spk.recordingFirst": ["先测试麦克风，才有录音可以播放", "Test the microphone first to have a recording"],
  "selftest.spk.question": ["您听到声音了吗？", "Did you hear it?"],
  "selftest.spk.yes": ["听到了", "Yes, I heard it"],
  "selftest.spk.no": ["没听到", "No"],
  "selftest.spk.playFirst": ["先播放测试音，再回答。", "Play the tone first, then answer."],
  "selftest.spk.pass": ["扬声器正常。", "The speaker works."],
  "selftest.spk.fail": ["没有听到声音。", "Nothing was heard."],
  "selftest.spk.fix": ["请调高音量、检查耳机或音箱是否接好，或在上方换一个扬声器，然后再播放一次。", "Turn the volume up, check the headset or speakers are connected, or choose another speaker above, then play it again."],
  "selftest.spk.playFail": ["浏览器没有播放声音。", "The browser did not play the sound."],
  "selftest.cam.title": ["摄像头", "Camera"],
  "selftest.cam.help": ["打开摄像头，确认画面正常、位置端正。", "Turn the camera on and check the picture and its position."],
  "selftest.cam.start": ["测试摄像头", "Test the camera"],
  "selftest.cam.again": ["再次测试摄像头", "Test the camera again"],
  "selftest.cam.stop": ["关闭摄像头", "Turn the camera off"],
  "selftest.cam.waiting": ["正在打开摄像头…", "Opening the camera…"],
  "selftest.cam.pass": ["摄像头正常（{w}×{h}）。", "The camera works ({w}×{h})."],
  "selftest.cam.err.denied": ["浏览器没有获得摄像头权限。", "The browser was not allowed to use the camera."],
  "selftest.cam.err.nodevice": ["没有找到摄像头。", "No camera was found."],
  "selftest.cam.err.busy": ["摄像头正被其他程序占用。", "The camera is in use by another program."],
  "selftest.cam.err.unsupported": ["此浏览器无法在网页中使用摄像头。", "This browser cannot use the camera in a web page."],
  "selftest.cam.err.noframe": ["摄像头没有传来画面。", "The camera sent no picture."],
  "selftest.cam.err.insecure": ["此页面不是通过 https 打开的，浏览器不允许网页使用摄像头。", "This page was not opened over https, so the browser does not let it use the camera."],
  "selftest.cam.err.other": ["无法打开摄像头。", "The camera could not be opened."],
  "selftest.cam.fix": ["摄像头为选填项。如需使用，请在网站设置中允许摄像头，或关闭占用摄像头的程序后再试。", "The camera is optional. To use it, allow the camera in the site settings, or close the program using it, and try again."],
  "selftest.name.title": ["会议中的显示名", "Your name in the meeting"],
  "selftest.name.label": ["您在会议中显示的名称", "The name you show in the meeting"],
  "selftest.name.hint": ["请先在{system}中改名为“{name}”（姓名-单位），再填写实际显示的名称。", "First rename yourself in {system} to “{name}” (name-unit), then enter the name actually shown."],
  "selftest.name.system": ["会议系统", "the meeting system"],
  "selftest.send": ["提交自测结果", "Send my results"],
  "selftest.sendAgain": ["再次提交自测结果", "Send my results again"],
  "selftest.needMic": ["请先测试麦克风。", "Test the microphone first."],
  "selftest.needSpeaker": ["请先播放测试音，并回答是否听到。", "Play the test tone and say whether you heard it."],
  "selftest.sent": ["已提交，主持人可以看到您的自测结果。", "Sent. The host can see your results."],
  "selftest.sentAt": ["已提交（{when}），主持人可以看到您的结果。", "Sent ({when}). The host can see your results."],
  "selftest.lastAt": ["上次自测：{when}", "Last self-test: {when}"],
  "selftest.notSent": ["尚未提交自测结果。", "No results sent yet."],
  "selftest.closed": ["联调已结束，不能再提交自测结果。", "The joint test is over; results can no longer be sent."],

  "invite.title": ["“{name}”的邀请函", "Invitation for “{name}”"],
  "invite.button": ["邀请函", "Invitation"],
  "invite.zh": ["中文", "Chinese"],
  "invite.en": ["English", "English"],
  "invite.copy": ["复制", "Copy"],
  "invite.noLink": ["此邀请函不含个人链接；个人链接只在添加或重新生成时显示。", "This invitation has no personal link; that is shown only when the person is added or the link is reissued."],
  "invite.withLinkTitle": ["邀请函（含个人链接）", "Invitation (with the personal link)"],
  "invite.ics": ["日历文件 (.ics)", "Calendar file (.ics)"],
  "invite.icsDone": ["已下载 {file}", "Downloaded {file}"],
  "invite.unavailable": ["服务器暂不支持此功能，请稍后再试。", "The server does not offer this yet; try again later."],
  "invite.system": ["会议系统", "the meeting system"],
  "invite.remind.title": ["会前提醒", "Before the meeting"],
  "invite.remind.install": ["提前下载安装“{system}”客户端。", "Install the {system} client in advance."],
  "invite.remind.register": ["注册会议系统账号，并熟悉使用方法。", "Register an account and get familiar with the meeting system."],
  "invite.remind.network": ["检查网络，确保会议期间网络通畅。", "Check your network so that the connection holds throughout the meeting."],
  "invite.remind.rename": ["入会后把显示名称改为“姓名+单位”：", "In the meeting, rename yourself to name + unit (姓名+单位):"],
  "invite.remind.early": ["提前进入会议室参加会前联调，组织方会逐一测试每位参会人的麦克风和扬声器。", "Join the meeting room early for the joint test: the organizer tests each participant's microphone and speaker one by one."],
  "invite.remind.mute": ["不发言时请将麦克风静音。", "Mute your microphone when you are not speaking."],
  "invite.etiquette.title": ["会议注意事项", "Meeting etiquette"],
  "invite.etiquette.online": ["会议期间请始终保持在线；如需短暂离会或提前离会，请做好解释。", "Stay online for the whole meeting; if you must step away briefly or leave early, explain why."],
  "invite.etiquette.camera": ["请随时关注摄像头位置，防止偏转、移动或出现不应有的画面。", "Mind your camera: keep it from turning or moving, and from showing anything it should not."],
  "invite.etiquette.unrelated": ["不随意播放与会议无关的音视频信息。", "Do not play audio or video unrelated to the meeting."],
  "invite.etiquette.mute": ["不发言时，请将麦克风调至静音状态。", "Mute your microphone when you are not speaking."],
  "invite.etiquette.posture": ["请面对摄像头，坐姿端正，衣着整洁、得体，语言表达标准、规范。", "Face the camera, sit upright, dress neatly and appropriately, and speak clearly and properly."],
  "invite.etiquette.phone": ["请关闭手机或将手机置于震动状态。", "Switch your phone off or set it to vibrate."],

  // live meeting (live.js, liveparticipant.js, minutes.js, timer.js)
  "live.console": ["会中控制台", "Live console"],
  "live.end": ["结束会议", "End the meeting"],
  "live.endConfirm": ["结束会议？{what}将一并结束，会议进入“会后跟进”。", "End the meeting? {what} will end too, and the meeting moves on to follow-up."],
  "live.endRunning": ["正在进行的议程“{title}”", "The running item “{title}”"],
  "live.endFloor": ["{name}的发言", "{name}'s speech"],
  "live.listSep": ["和", " and "],
  "live.now": ["当前议程", "Now"],
  "live.itemOf": ["第 {n}/{total} 项", "Item {n} of {total}"],
  "live.noAgenda": ["还没有议程。可在“议程”中添加。", "There is no agenda yet. Add items under “Agenda”."],
  "live.noItem": ["议程尚未开始", "No agenda item is running"],
  "live.agendaDone": ["议程已全部完成", "Every agenda item is done"],
  "live.start": ["开始议程", "Start the agenda"],
  "live.next": ["下一项", "Next item"],
  "live.finish": ["结束本项", "Finish this item"],
  "live.elapsed": ["已进行", "Elapsed"],
  "live.planned": ["计划 {time}", "Planned {time}"],
  "live.over": ["已超时 {time}", "Over by {time}"],
  "live.speaker": ["主讲：{name}", "Speaker: {name}"],
  "live.limitEach": ["每人限时 {time}", "{time} per speech"],
  "live.floor": ["发言中", "Speaking"],
  "live.floorNone": ["目前无人发言。", "No one has the floor."],
  "live.speaking": ["已发言", "speaking"],
  "live.leftShort": ["剩余", "left"],
  "live.overShort": ["已超时", "over"],
  "live.release": ["结束此发言", "End this speech"],
  "live.youHaveFloor": ["您正在发言", "You have the floor"],
  "live.youHaveFloorHint": ["请在会议系统中打开麦克风。说完后点击“结束发言”。", "Unmute your microphone in the meeting system. When you are done, choose “Done speaking”."],
  "live.doneSpeaking": ["结束发言", "Done speaking"],
  "live.totals": ["发言时长", "Speaking time"],
  "live.totalsUnits": ["按单位", "By unit"],
  "live.totalsPeople": ["按发言人", "By speaker"],
  "live.totalsEmpty": ["还没有结束的发言。", "No speech has finished yet."],
  "live.speeches": ["{n} 次", "{n}×"],
  "live.export": ["导出纪要", "Export the minutes"],
  "live.exportHint": ["Markdown 文件，含出席、议程、纪要、分工和发言时长，可报送单位领导。", "A Markdown file with attendance, agenda, minutes, actions and speaking time, ready for your leadership."],
  "live.download": ["下载 Markdown", "Download Markdown"],
  "live.preview": ["预览", "Preview"],
  "live.hidePreview": ["收起预览", "Hide preview"],
  "live.previewLabel": ["纪要预览", "Minutes preview"],
  "live.downloaded": ["已下载 {file}", "Downloaded {file}"],
  "agenda.title": ["议程", "Agenda"],
  "agenda.summary": ["计划 {planned} 分钟", "{planned} min planned"],
  "agenda.summaryActual": ["计划 {planned} 分钟 · 实际 {actual}", "{planned} min planned · {actual} so far"],
  "agenda.empty": ["还没有议程。", "No agenda yet."],
  "agenda.emptyManage": ["还没有议程。添加议题、计划时长和主讲人，会前发给参会单位。", "No agenda yet. Add the items, their planned minutes and speakers, and share it before the meeting."],
  "agenda.add": ["添加议程项", "Add an agenda item"],
  "agenda.itemTitle": ["议题", "Item"],
  "agenda.itemTitleHint": ["如：企业项目推介", "e.g. The company presents the project"],
  "agenda.minutes": ["计划时长（分钟）", "Planned minutes"],
  "agenda.minutesRange": ["请输入 1–600 之间的整数。", "Enter a whole number from 1 to 600."],
  "agenda.speaker": ["主讲人", "Speaker"],
  "agenda.noSpeaker": ["（不指定）", "(none)"],
  "agenda.limit": ["每人发言限时", "Limit per speech"],
  "agenda.noLimit": ["不限时", "No limit"],
  "agenda.limitSec": ["{n} 秒", "{n} s"],
  "agenda.limitMin": ["{n} 分钟", "{n} min"],
  "agenda.plannedMin": ["计划 {n} 分钟", "{n} min planned"],
  "agenda.actual": ["实际 {time}", "took {time}"],
  "agenda.elapsed": ["已进行 {time}", "{time} so far"],
  "agenda.status.planned": ["未开始", "Planned"],
  "agenda.status.running": ["进行中", "Running"],
  "agenda.status.done": ["已完成", "Done"],
  "agenda.status.unfinished": ["会议结束时未结束", "Not finished when the meeting ended"],
  "agenda.start": ["开始", "Start"],
  "agenda.restart": ["重新开始", "Restart"],
  "agenda.up": ["上移", "Move up"],
  "agenda.down": ["下移", "Move down"],
  "agenda.edit": ["编辑", "Edit"],
  "agenda.save": ["保存", "Save"],
  "agenda.startLabel": ["开始议程项：{title}", "Start the item: {title}"],
  "agenda.upLabel": ["上移：{title}", "Move up: {title}"],
  "agenda.downLabel": ["下移：{title}", "Move down: {title}"],
  "agenda.editLabel": ["编辑：{title}", "Edit: {title}"],
  "agenda.removeLabel": ["删除议程项：{title}", "Remove the item: {title}"],
  "agenda.removeRunning": ["进行中的议程项需先结束才能删除", "Finish a running item before removing it"],
  "agenda.removeConfirm": ["删除议程项“{title}”？", "Remove the agenda item “{title}”?"],
  "agenda.restartConfirm": ["重新开始“{title}”？此前记录的实际用时将被新的计时替换。", "Restart “{title}”? Its recorded time is replaced by the new run."],
  "queue.title": ["发言队列", "Speaker queue"],
  "queue.count": ["{n} 人等候", "{n} waiting"],
  "queue.empty": ["暂无人举手。", "No hands are raised."],
  "queue.next": ["下一位", "Next speaker"],
  "queue.nextByVotes": ["票数最高的提问", "Most upvoted question"],
  "queue.grant": ["请其发言", "Give the floor"],
  "queue.grantLabel": ["请{name}发言", "Give the floor to {name}"],
  "queue.remove": ["移出队列", "Remove from the queue"],
  "queue.removeLabel": ["移出队列：{name}", "Remove from the queue: {name}"],
  "queue.removeConfirm": ["把“{name}”移出发言队列？", "Remove “{name}” from the speaker queue?"],
  "queue.kind.speak": ["发言", "Speak"],
  "queue.kind.question": ["提问", "Question"],
  "queue.kind.point_of_order": ["程序性问题", "Point of order"],
  "queue.place": ["第 {n} 位", "number {n}"],
  "queue.raisedAt": ["{time} 举手", "raised {time}"],
  "queue.votes": ["{n} 票", "{n} votes"],
  "queue.upvote": ["赞同", "Upvote"],
  "queue.upvoted": ["已赞同", "Upvoted"],
  "queue.upvoteLabel": ["赞同{name}的提问（{n} 票）", "Upvote {name}'s question ({n} votes)"],
  "queue.upvotedLabel": ["您已赞同{name}的提问（{n} 票）", "You upvoted {name}'s question ({n} votes)"],
  "queue.myHand": ["举手与提问", "Raise your hand"],
  "queue.handIntro": ["主持人按顺序安排发言，程序性问题优先；提问可获得其他参会人赞同。", "The host gives the floor in order, points of order first; others can upvote your question."],
  "queue.raise": ["举手发言", "Raise hand to speak"],
  "queue.pointOfOrder": ["程序性问题", "Point of order"],
  "queue.question": ["提问", "Ask a question"],
  "queue.questionHint": ["写下您的问题（Ctrl+Enter 提交）", "Write your question (Ctrl+Enter sends it)"],
  "queue.ask": ["提交问题", "Send question"],
  "queue.position": ["您在队列中排第 {n} 位", "You are number {n} in the queue"],
  "queue.yours": ["您的举手：{kind}", "Your hand: {kind}"],
  "queue.lower": ["放下手", "Lower hand"],
  "minutes.title": ["会议纪要", "Minutes"],
  "minutes.count": ["{n} 条", "{n} entries"],
  "minutes.kind.note": ["记录", "Note"],
  "minutes.kind.intent": ["投资合作意向", "Investment intent"],
  "minutes.kind.needs": ["落地需求", "Landing needs"],
  "minutes.kind.prospects": ["发展前景", "Prospects"],
  "minutes.kind.decision": ["议定事项", "Decision"],
  "minutes.kind.action": ["后续分工", "Action"],
  "minutes.kind.contact": ["联系方式", "Contact details"],
  "minutes.kind.next_contact": ["下次沟通", "Next contact"],
  "minutes.kindLabel": ["类型", "Kind"],
  "minutes.text": ["内容", "Text"],
  "minutes.textHint": ["记下要点…", "Write down the point…"],
  "minutes.owner": ["负责人", "Owner"],
  "minutes.contactPerson": ["联系人", "Contact person"],
  "minutes.due": ["完成时限", "Due"],
  "minutes.when": ["时间", "When"],
  "minutes.save": ["记入纪要", "Add to minutes"],
  "minutes.saveEdit": ["保存修改", "Save changes"],
  "minutes.saved": ["已记入纪要。", "Added to the minutes."],
  "minutes.shortcuts": ["Alt+1…8 选择类型 · Ctrl+Enter 保存", "Alt+1…8 picks the kind · Ctrl+Enter saves"],
  "minutes.gate": ["结束会议前需记录：", "Needed before the meeting ends:"],
  "minutes.empty": ["还没有记录。选择类型，写下要点。", "Nothing recorded yet. Pick a kind and write the point down."],
  "minutes.emptyLive": ["还没有记录。记录员写下的内容会实时出现在这里。", "Nothing recorded yet. What the recorder writes appears here as it happens."],
  "minutes.edited": ["已修改", "edited"],
  "minutes.edit": ["修改", "Edit"],
  "minutes.editLabel": ["修改纪要：{text}", "Edit the entry: {text}"],
  "minutes.removeLabel": ["删除纪要：{text}", "Remove the entry: {text}"],
  "minutes.removeConfirm": ["删除这条纪要“{text}”？", "Remove the entry “{text}”?"],
  "minutes.new": ["新纪要（{kind}）：{text}", "New in the minutes ({kind}): {text}"],
  "presence.title": ["我的状态", "Your presence"],
  "presence.attendance": ["出席情况", "Attendance"],
  "presence.present": ["在线", "Present"],
  "presence.away": ["暂离", "Away"],
  "presence.left": ["已离会", "Left"],
  "presence.none": ["未入会", "Not joined"],
  "presence.set.present": ["我在线", "I'm here"],
  "presence.set.away": ["暂时离开", "Step away"],
  "presence.set.left": ["离开会议", "Leave"],
  "presence.since": ["{time} 起", "since {time}"],
  "presence.joined": ["{time} 入会", "joined {time}"],
  "presence.leftAt": ["{time} 离会", "left {time}"],
  "presence.awaySince": ["{time} 暂离", "away since {time}"],
  "presence.summary": ["在线 {present} · 暂离 {away} · 离会 {left} · 未入会 {none}", "{present} present · {away} away · {left} left · {none} not joined"],
  "presence.reasonAway": ["暂离原因", "Why you step away"],
  "presence.reasonLeft": ["离会原因", "Why you leave"],
  "presence.reasonAwayHint": ["如：接听紧急电话，约 5 分钟", "e.g. an urgent call, about 5 minutes"],
  "presence.reasonLeftHint": ["如：另有公务，提前离会", "e.g. another official engagement"],
  "presence.reasonRequired": ["请说明原因，主持人和组织单位可以看到。", "Say why; the host and the organizer will see it."],
  "presence.confirmAway": ["确认暂离", "Step away"],
  "presence.confirmLeft": ["确认离会", "Leave the meeting"],
  "presence.etiquette": ["请全程在线；短暂离开或提前离会请说明原因。不发言时请静音。", "Stay online throughout; explain a short or early leave. Mute when not speaking."],

  // errors: what to do next, by code
  "err.bad_request": ["请修改标出的内容后再试。", "Correct the marked field and try again."],
  "err.unknown_op": ["页面与服务器版本不一致，请刷新页面。", "The page and server versions differ; reload the page."],
  "err.unauthenticated": ["登录已失效，请重新登录。", "Your sign-in is no longer valid; sign in again."],
  "err.forbidden": ["您无权执行此操作。如需权限请联系会议组织单位或管理员。", "You are not allowed to do this. Ask the organizer or the administrator if you need to."],
  "err.not_found": ["找不到该内容，可能已被删除。页面已是最新状态。", "It was not found; it may have been removed. The page is up to date."],
  "err.conflict": ["当前状态不允许此操作，请查看最新状态后再试。", "Not allowed in the current state; check the latest state and try again."],
  "err.rate_limited": ["操作太频繁，请稍等几秒再试。", "Too many requests; wait a few seconds and try again."],
  "err.too_large": ["内容太长，请缩短后再试。", "Too long; shorten it and try again."],
  "err.internal": ["服务器出错，未保存。请稍后重试；若持续出现请联系管理员。", "Server error, nothing was saved. Try again shortly; contact the administrator if it persists."],
  "err.rejected_feedback": ["请写明本期的具体进展。", "Describe this period's concrete progress."],
  "err.network": ["网络中断，正在重连；恢复后会自动重试。", "Connection lost; reconnecting. It will be retried automatically."],
  "err.generic": ["出错了，请重试。", "Something went wrong; try again."],
  "err.invalidTime": ["请选择有效的日期和时间。", "Choose a valid date and time."],
  "err.required": ["此项必填。", "This field is required."],
  "err.number": ["请输入有效的数字。", "Enter a valid number."],
};

const LANGS = ["zh", "en"];
const KEY = "roadshow.lang";
let lang = initialLang();
const listeners = new Set();

function initialLang() {
  try {
    const saved = localStorage.getItem(KEY);
    if (LANGS.includes(saved)) return saved;
  } catch { /* storage unavailable */ }
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || "zh";
  return nav.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function getLang() { return lang; }

export function setLang(next) {
  if (!LANGS.includes(next) || next === lang) return;
  lang = next;
  try { localStorage.setItem(KEY, next); } catch { /* ignore */ }
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  applyI18n(document);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** Views re-render on a change of language or of time zone. */
function notify() { for (const fn of listeners) fn(lang); }

/** Translate a key, filling {placeholders} from vars. Unknown keys come back as is. */
export function t(key, vars) {
  const entry = STRINGS[key];
  let s = entry ? entry[lang === "zh" ? 0 : 1] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] ?? m));
  return s;
}

export function has(key) { return key in STRINGS; }

/** The whole table (for the tests that check every string has both languages). */
export function allStrings() { return STRINGS; }

/** Re-translate every element marked with data-i18n / data-i18n-attr below root. */
export function applyI18n(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const vars = el.dataset.i18nVars ? JSON.parse(el.dataset.i18nVars) : undefined;
    el.textContent = t(el.dataset.i18n, vars);
  }
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

// Labels of the server's codes (the lists of codes come from GET /api/ops,
// catalogue.js); a code this table does not know shows the server's label.
export const codeLabel = (prefix, list) => (code) => {
  if (!code) return "";
  const key = prefix + code;
  return key in STRINGS ? t(key) : serverLabel(list, code, lang) || code;
};
export const phaseLabel = codeLabel("phase.", "phases");
export const roleLabel = codeLabel("role.", "roles");
export const kindLabel = (k) => (k ? t("kind." + k) : "");
export const categoryLabel = codeLabel("category.", "categories");

// The zone every time is shown in: the server's (`serve --timezone`, sent with
// the auth result), Asia/Shanghai until it is known.
let TZ = "Asia/Shanghai";

export function timeZone() { return TZ; }

/** Sets the zone times are shown in; an unknown zone name is ignored. */
export function setTimeZone(zone) {
  if (!zone || zone === TZ) return;
  try { new Intl.DateTimeFormat("en-GB", { timeZone: zone }); } catch { return; }
  TZ = zone;
  notify();
}

/** The zone's name for people: 北京时间 for Asia/Shanghai, else its id and offset, e.g. "Europe/Berlin (UTC+1)". */
export function zoneLabel(at = new Date()) {
  const off = offsetMinutes(at);
  const sign = off < 0 ? "−" : "+";
  const a = Math.abs(off);
  const utc = `UTC${sign}${Math.floor(a / 60)}${a % 60 ? ":" + String(a % 60).padStart(2, "0") : ""}`;
  return TZ === "Asia/Shanghai" ? `${t("m.tz")} (${utc})` : `${TZ} (${utc})`;
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetMinutes(date) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(date).map((x) => [x.type, x.value]));
  const asUTC = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((asUTC - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

/** A date-time in the server's zone, e.g. "2026年12月1日 14:00" / "1 Dec 2026, 14:00". */
export function formatTime(iso, { withWeekday = false } = {}) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts = { timeZone: TZ, year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  if (withWeekday) opts.weekday = "short";
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", opts).format(d);
}

/** A calendar date "YYYY-MM-DD" (no time zone involved), e.g. "12月1日" / "1 Dec". */
export function formatDate(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || "");
  if (!m) return ymd || "";
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 12));
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" }).format(d);
}

export function formatNumber(n) {
  return new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: 2 }).format(n);
}

/**
 * A datetime-local value ("2026-12-01T14:00") read in the server's zone, as
 * RFC 3339 with that zone's offset at that time ("…+08:00"). Returns null when
 * the value is not a complete date-time.
 */
export function localToZoned(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || "");
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  // The offset at the instant the wall time names (twice, for a change of offset in between).
  let off = offsetMinutes(new Date(wall));
  off = offsetMinutes(new Date(wall - off * 60000));
  const a = Math.abs(off);
  const sign = off < 0 ? "-" : "+";
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] || "00"}${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** The datetime-local value, in the server's zone, of an instant. */
export function zonedLocalValue(date) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
