// Strings in Chinese and English, the language toggle, and formatting of
// times (always shown in Asia/Shanghai) and numbers.

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
  "admin.tokenWarn": ["请现在保存此令牌并安全地交给对方。它不会再次显示；遗失后只能新建账号。", "Save this token now and hand it over securely. It will not be shown again; if it is lost, create a new account."],
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

export const phaseLabel = (p) => (p ? t("phase." + p) : "");
export const roleLabel = (r) => (r ? t("role." + r) : "");
export const kindLabel = (k) => (k ? t("kind." + k) : "");
export const categoryLabel = (c) => (c ? t("category." + c) : "");

export const PHASES = ["preparing", "rehearsal", "live", "ended", "dispatched", "closed"];
export const ROLES = ["host", "recorder", "company", "unit", "observer"];

const TZ = "Asia/Shanghai";

/** A date-time in China time, e.g. "2026年12月1日 14:00" / "1 Dec 2026, 14:00". */
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
 * A datetime-local value ("2026-12-01T14:00") read as China time, as RFC 3339
 * with +08:00. Returns null when the value is not a complete date-time.
 */
export function localToShanghai(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || "");
  if (!m) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] || "00"}+08:00`;
}

/** The datetime-local value, in China time, of an instant. */
export function shanghaiLocalValue(date) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
