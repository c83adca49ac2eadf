/*
 * The baseline for `roadshow bench`: a bare libwebsockets broadcast server.
 *
 * It speaks just enough of the Roadshow protocol for the benchmark's client to
 * drive it exactly as it drives `roadshow serve`: every request is answered
 * `ok` at once; after `stream.subscribe` the connection receives broadcasts; a
 * `checklist.set` broadcasts one event frame of FRAME_BYTES bytes to every
 * subscriber (and answers with its seq). No JSON parsing beyond finding the
 * request id and the stream, no database, no rules: what is left is the cost of libwebsockets
 * and the kernel moving one message to N connections — the floor that the
 * Roadshow server is measured against (server CPU per delivered event).
 *
 * Streams as the Roadshow server's meetings: `stream.subscribe` joins the
 * group named by its "stream", a `checklist.set` broadcasts to the group named
 * by its "meeting" (seq per group), so M meetings fan out as M groups.
 *
 * Same I/O pattern as the Roadshow server: one service thread, each message
 * encoded once and shared by every recipient (reference counted), a FIFO per
 * connection written only from the writeable callback, one lws_write per
 * callback.
 *
 * Same event loop as the Roadshow server when given "libev" (its default): a
 * libev loop (epoll) made here and handed to lws as a foreign loop, run one
 * ev_run(EVRUN_ONCE) per turn; "poll" (the default here, as before) is lws's
 * own poll() loop.
 *
 *     cc -O2 -o bare-broadcast bare_broadcast.c $(pkg-config --cflags --libs libwebsockets) -lev
 *     ./bare-broadcast PORT [FRAME_BYTES [poll|libev]]   # PORT 0 picks a free one; prints "listening on N"
 */
#define _GNU_SOURCE /* memmem */
#include <libwebsockets.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ev.h>

struct message {
	int refs;
	size_t len;
	unsigned char *buf; /* LWS_PRE bytes of headroom, then the payload */
};

struct pending {
	struct message *msg;
	struct pending *next;
};

struct group;

struct conn {
	struct lws *wsi;
	struct pending *head, *tail;
	struct group *group; /* subscribed to; NULL: none */
	struct conn *next_sub, *prev_sub; /* in its group's subscriber list */
	char rx[4096];
	size_t rx_len;
};

/* One stream: its name, seq and subscribers. A linear table: a bench has at
 * most a few hundred, and a lookup per request is nothing beside the writes. */
struct group {
	char name[64];
	long long seq;
	struct conn *subscribers;
};
#define MAX_GROUPS 4096
static struct group groups[MAX_GROUPS];
static int group_count;

static size_t frame_bytes = 300;
static volatile sig_atomic_t interrupted;
static struct lws_context *context;

static struct message *message_new(const char *text, size_t len, int refs)
{
	struct message *m = malloc(sizeof(*m));
	m->refs = refs;
	m->len = len;
	m->buf = malloc(LWS_PRE + len);
	memcpy(m->buf + LWS_PRE, text, len);
	return m;
}

static void message_release(struct message *m)
{
	if (--m->refs == 0) {
		free(m->buf);
		free(m);
	}
}

static void enqueue(struct conn *c, struct message *m)
{
	struct pending *p = malloc(sizeof(*p));
	p->msg = m;
	p->next = NULL;
	if (c->tail)
		c->tail->next = p;
	else
		c->head = p;
	c->tail = p;
	lws_callback_on_writable(c->wsi);
}

/* The string value of `key` (quoted, e.g. "\"id\""), or "" when there is none. */
static void string_value(const char *text, size_t len, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key);
	const char *p = memmem(text, len, key, klen);
	out[0] = '\0';
	if (!p)
		return;
	p += klen;
	while (p < text + len && (*p == ' ' || *p == ':'))
		p++;
	if (p >= text + len || *p != '"')
		return;
	p++;
	size_t n = 0;
	while (p < text + len && *p != '"' && n + 1 < cap)
		out[n++] = *p++;
	out[n] = '\0';
}

/* The group of that name, made on first use ("M-BARE" for none). */
static struct group *group_named(const char *name)
{
	if (!*name)
		name = "M-BARE";
	for (int i = 0; i < group_count; i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	if (group_count == MAX_GROUPS)
		return &groups[0];
	struct group *g = &groups[group_count++];
	snprintf(g->name, sizeof(g->name), "%s", name);
	return g;
}

static void broadcast_event(struct group *g)
{
	char *frame = malloc(frame_bytes + 256);
	g->seq++;
	int head = snprintf(frame, 256,
		"{\"at\":\"2026-12-01T06:00:00.000Z\",\"by\":\"A-ADMIN\",\"data\":{\"item\":{\"note\":\"");
	int tail_len = snprintf(NULL, 0, "\"}},\"event\":\"checklist.item_set\",\"seq\":%lld,\"stream\":\"%s\"}", g->seq, g->name);
	size_t fill = frame_bytes > (size_t)(head + tail_len) ? frame_bytes - (size_t)(head + tail_len) : 0;
	memset(frame + head, 'x', fill);
	int len = head + (int)fill;
	len += snprintf(frame + len, (size_t)tail_len + 1,
		"\"}},\"event\":\"checklist.item_set\",\"seq\":%lld,\"stream\":\"%s\"}", g->seq, g->name);

	int n = 0;
	for (struct conn *c = g->subscribers; c; c = c->next_sub)
		n++;
	if (n) {
		struct message *m = message_new(frame, (size_t)len, n);
		for (struct conn *c = g->subscribers; c; c = c->next_sub)
			enqueue(c, m);
	}
	free(frame);
}

static void handle(struct conn *c, const char *text, size_t len)
{
	char id[128], name[64], reply[512];
	long long seq = 0;
	string_value(text, len, "\"id\"", id, sizeof(id));
	if (memmem(text, len, "\"stream.subscribe\"", 18) && !c->group) {
		string_value(text, len, "\"stream\"", name, sizeof(name));
		struct group *g = group_named(name);
		c->group = g;
		c->next_sub = g->subscribers;
		c->prev_sub = NULL;
		if (g->subscribers)
			g->subscribers->prev_sub = c;
		g->subscribers = c;
		seq = g->seq;
	}
	if (memmem(text, len, "\"checklist.set\"", 15)) {
		string_value(text, len, "\"meeting\"", name, sizeof(name));
		struct group *g = group_named(name);
		broadcast_event(g);
		seq = g->seq;
	}
	int n = snprintf(reply, sizeof(reply),
		"{\"ok\":true,\"re\":\"%s\",\"result\":{\"meeting\":{\"id\":\"M-BARE\"},\"seq\":%lld,\"snapshot\":{},\"token\":\"x\"}}",
		id, seq);
	enqueue(c, message_new(reply, (size_t)n, 1));
}

static void unsubscribe(struct conn *c)
{
	struct group *g = c->group;
	if (!g)
		return;
	if (c->prev_sub)
		c->prev_sub->next_sub = c->next_sub;
	else
		g->subscribers = c->next_sub;
	if (c->next_sub)
		c->next_sub->prev_sub = c->prev_sub;
	c->group = NULL;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct conn *c = user;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof(*c));
		c->wsi = wsi;
		break;
	case LWS_CALLBACK_CLOSED:
		unsubscribe(c);
		while (c->head) {
			struct pending *p = c->head;
			c->head = p->next;
			message_release(p->msg);
			free(p);
		}
		c->tail = NULL;
		break;
	case LWS_CALLBACK_RECEIVE:
		if (c->rx_len + len > sizeof(c->rx))
			return -1;
		memcpy(c->rx + c->rx_len, in, len);
		c->rx_len += len;
		if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
			handle(c, c->rx, c->rx_len);
			c->rx_len = 0;
		}
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE: {
		struct pending *p = c->head;
		if (!p)
			break;
		if (lws_write(wsi, p->msg->buf + LWS_PRE, p->msg->len, LWS_WRITE_TEXT) < (int)p->msg->len)
			return -1;
		c->head = p->next;
		if (!c->head)
			c->tail = NULL;
		message_release(p->msg);
		free(p);
		if (c->head)
			lws_callback_on_writable(wsi);
		break;
	}
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "http-only", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "roadshow.v1", callback, sizeof(struct conn), 16 * 1024, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	if (context)
		lws_cancel_service(context); /* wakes the service loop */
}

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct ev_loop *loop = NULL;
	void *loops[1];

	if (argc < 2) {
		fprintf(stderr, "usage: %s PORT [FRAME_BYTES [poll|libev]]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		frame_bytes = (size_t)atol(argv[2]);
	if (argc > 3 && !strcmp(argv[3], "libev"))
		loop = ev_loop_new(EVBACKEND_EPOLL | EVFLAG_NOENV | EVFLAG_NOSIGMASK);
	/* As the Roadshow server: raise the soft file limit to the hard one. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	lws_set_log_level(LLL_ERR, NULL);

	memset(&info, 0, sizeof(info));
	info.port = atoi(argv[1]);
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	info.vhost_name = "bare";
	/* as the Roadshow server: no lws validity timers (one per connection in
	 * lws's sorted timer list makes each new connection an O(N) insert) */
	static const lws_retry_bo_t no_validity = { .secs_since_valid_ping = 0, .secs_since_valid_hangup = 0 };
	info.retry_and_idle_policy = &no_validity;
	info.pcontext = &context;
	/* as the Roadshow server: the context, then its vhost */
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if (loop) {
		loops[0] = loop;
		info.options |= LWS_SERVER_OPTION_LIBEV;
		info.foreign_loops = loops;
	}
	context = lws_create_context(&info);
	if (!context || !lws_create_vhost(context, &info)) {
		fprintf(stderr, "cannot create the libwebsockets context\n");
		return 1;
	}
	printf("listening on %d\n", lws_get_vhost_listen_port(lws_get_vhost_by_name(context, "bare")));
	fflush(stdout);
	while (!interrupted)
		if (loop ? !ev_run(loop, EVRUN_ONCE) : lws_service(context, 0) < 0)
			break;
	lws_context_destroy(context);
	if (loop)
		ev_loop_destroy(loop);
	return 0;
}
