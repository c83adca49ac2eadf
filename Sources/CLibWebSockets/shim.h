#ifndef ROADSHOW_CLIBWEBSOCKETS_SHIM_H
#define ROADSHOW_CLIBWEBSOCKETS_SHIM_H

#include <string.h>
#include <libwebsockets.h>

/* Macros Swift cannot import, exported as constants. */
static const size_t rs_lws_pre = LWS_PRE;

/* lws_callback_function pointers are set from Swift; these helpers keep the
   variadic / macro-based parts of the API out of Swift. */
/* lws's log lines to stderr, at most 20 per 10 seconds: when file
   descriptors run out, lws logs every failed accept, and a flood of clients
   would otherwise write hundreds of thousands of lines. What is left out is
   counted in the next line that goes through. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
static inline void rs_lws_emit(int level, const char *line) {
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static time_t window;
    static unsigned in_window, suppressed;
    (void)level;
    pthread_mutex_lock(&lock);
    time_t now = time(NULL);
    if (now - window >= 10) { window = now; in_window = 0; }
    if (in_window < 20) {
        in_window++;
        if (suppressed) {
            fprintf(stderr, "lws: %u similar log lines left out in the last seconds\n", suppressed);
            suppressed = 0;
        }
        fputs(line, stderr);
    } else {
        suppressed++;
    }
    pthread_mutex_unlock(&lock);
}

static inline void rs_lws_set_log_level(int level) {
    lws_set_log_level(level, rs_lws_emit);
}

/* ---- server helpers (RoadshowServer) ---- */
static const int rs_close_too_large = LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE;
static const int rs_close_unacceptable = LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE;
static const int rs_close_invalid_payload = LWS_CLOSE_STATUS_INVALID_PAYLOAD;

/* Writes the status line and headers of an HTTP response whose body is sent
   next with LWS_WRITE_HTTP_FINAL, with `count` more headers (names end in ':').
   Returns nonzero on failure. */
static inline int rs_http_write_headers(struct lws *wsi, unsigned int status,
                                        const char *content_type, size_t content_length,
                                        const char *cache_control,
                                        const char *const *names, const char *const *values, int count) {
    unsigned char buf[LWS_PRE + 2048];
    unsigned char *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];
    if (lws_add_http_common_headers(wsi, status, content_type, (lws_filepos_t)content_length, &p, end))
        return 1;
    if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
                                     (const unsigned char *)cache_control, (int)strlen(cache_control), &p, end))
        return 1;
    for (int i = 0; i < count; i++) {
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)names[i],
                                        (const unsigned char *)values[i], (int)strlen(values[i]), &p, end))
            return 1;
    }
    return lws_finalize_write_http_header(wsi, start, &p, end);
}

/* Copies a request header into dest (NUL-terminated); returns its length or -1. */
static inline int rs_hdr(struct lws *wsi, char *dest, int len, int token) {
    return lws_hdr_copy(wsi, dest, len, (enum lws_token_indexes)token);
}
static const int rs_tok_get_uri = WSI_TOKEN_GET_URI;
static const int rs_tok_origin = WSI_TOKEN_ORIGIN;
static const int rs_tok_host = WSI_TOKEN_HOST;
static const int rs_tok_authorization = WSI_TOKEN_HTTP_AUTHORIZATION;
static const int rs_tok_post_uri = WSI_TOKEN_POST_URI;
static const int rs_tok_content_length = WSI_TOKEN_HTTP_CONTENT_LENGTH;

/* A URL argument's value (lws has urldecoded it) copied into dest,
   NUL-terminated: its length, or -1 when absent or longer than len - 1.
   `name` ends in '=' ("name="), so "names=" does not match it. */
static inline int rs_urlarg(struct lws *wsi, const char *name, char *dest, int len) {
    char buf[1536];
    const char *v = lws_get_urlarg_by_name(wsi, name, buf, (int)sizeof(buf));
    if (!v) return -1;
    size_t n = strlen(v);
    if ((int)n >= len) return -1;
    memcpy(dest, v, n + 1);
    return (int)n;
}

/* Serves a file from disk (lws sends it in pieces as the socket drains),
   with `count` more headers (names end in ':'). As lws_serve_http_file: <0
   close, >0 sent whole, 0 started. */
static inline int rs_http_serve_file(struct lws *wsi, const char *path, const char *content_type,
                                     const char *const *names, const char *const *values, int count) {
    unsigned char buf[LWS_PRE + 2048];
    unsigned char *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];
    for (int i = 0; i < count; i++) {
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)names[i],
                                        (const unsigned char *)values[i], (int)strlen(values[i]), &p, end))
            return -1;
    }
    return lws_serve_http_file(wsi, path, content_type, (const char *)start, (int)(p - start));
}

/* ---- the Autobahn echo endpoint (serve --autobahn-echo, tests only) ---- */
static const int rs_close_protocol_error = LWS_CLOSE_STATUS_PROTOCOL_ERR;

/* Incremental UTF-8 check across fragments (RFC 3629: no overlongs, no
   surrogates, nothing above U+10FFFF). *state is 0 at the start of a message
   and 0 again whenever the bytes so far end on a whole character; it carries
   the bytes still owed (low 2 bits) and the range the next one must fall in.
   Returns 0 while the bytes can still be the start of valid text, 1 as soon
   as they cannot. (lws 4.1 has lws_check_utf8, but not in its public API.) */
static inline int rs_utf8_check(unsigned int *state, const unsigned char *buf, size_t len) {
    unsigned int s = *state;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = buf[i];
        if ((s & 3) == 0) {
            if (c < 0x80) continue;
            unsigned int need, lo = 0x80, hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) need = 1;
            else if (c == 0xe0) { need = 2; lo = 0xa0; }
            else if (c == 0xed) { need = 2; hi = 0x9f; }
            else if (c >= 0xe1 && c <= 0xef) need = 2;
            else if (c == 0xf0) { need = 3; lo = 0x90; }
            else if (c == 0xf4) { need = 3; hi = 0x8f; }
            else if (c >= 0xf1 && c <= 0xf3) need = 3;
            else return 1;
            s = need | (lo << 8) | (hi << 16);
        } else {
            unsigned int lo = (s >> 8) & 0xff, hi = (s >> 16) & 0xff;
            if (c < lo || c > hi) return 1;
            unsigned int need = (s & 3) - 1;
            s = need ? (need | (0x80u << 8) | (0xbfu << 16)) : 0;
        }
    }
    *state = s;
    return 0;
}

/* Writes one frame of a message from a buffer with LWS_PRE bytes of headroom
   before `payload`: the first frame with `binary` choosing the opcode, later
   ones as continuations, all but the last without FIN. */
static inline int rs_ws_write_fragment(struct lws *wsi, unsigned char *payload, size_t len,
                                       int binary, int is_start, int is_end) {
    int flags = lws_write_ws_flags(binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT, is_start, is_end);
    return lws_write(wsi, payload, len, (enum lws_write_protocol)flags);
}
/* ---- the server's event loop and keepalive (LwsServer, serve --event-loop) ---- */
#include <dlfcn.h>
#include <ev.h>

static const unsigned long long rs_opt_libev = LWS_SERVER_OPTION_LIBEV;
static const unsigned long long rs_opt_explicit_vhosts = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
static const unsigned long long rs_opt_ssl_global_init = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;

/* Whether lws can load its libev event-loop plugin: lws 4.1 (Debian) has it
   as a separate library in LWS_INSTALL_LIBDIR (package libwebsockets-evlib-ev,
   which needs libev4), loaded when a context asks for LWS_SERVER_OPTION_LIBEV. */
static inline int rs_lws_libev_available(void) {
    void *h = dlopen(LWS_INSTALL_LIBDIR "/libwebsockets-evlib_ev.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) return 0;
    dlclose(h);
    return 1;
}

/* The libev loop the server hands lws as a "foreign" loop: the service
   thread runs it itself (one ev_run(EVRUN_ONCE) per turn), and lws installs
   no signal watcher on a loop it did not make. epoll, and the signal mask
   left alone (EVFLAG_NOSIGMASK: the loop watches no signals). */
static inline struct ev_loop *rs_ev_loop_new(void) {
    return ev_loop_new(EVBACKEND_EPOLL | EVFLAG_NOENV | EVFLAG_NOSIGMASK);
}
/* Nonzero while the loop has active watchers. */
static inline int rs_ev_run_once(struct ev_loop *loop) { return ev_run(loop, EVRUN_ONCE); }
static inline int rs_ev_run_nowait(struct ev_loop *loop) { return ev_run(loop, EVRUN_NOWAIT); }
static inline void rs_ev_loop_destroy(struct ev_loop *loop) { ev_loop_destroy(loop); }

/* What lws keeps per roadshow.v1 connection (per_session_data_size): the
   engine's session id and the keepalive state the sweep reads. */
typedef struct {
    long id;
    unsigned char quiet;    /* sweeps since anything arrived from the peer */
    unsigned char ping_due; /* a ping goes out at the next writeable callback */
} rs_ws_session;

/* One lws timer (sul) with a pointer back to its owner. */
typedef struct {
    lws_sorted_usec_list_t sul;
    void *owner;
} rs_timer;

static const int rs_to_kill_async = LWS_TO_KILL_ASYNC;

/* A ping with a payload: lws 4.1 passes a pong to the protocol
   (LWS_CALLBACK_RECEIVE_PONG) only when it has one (lib/roles/ws/ops-ws.c,
   "opcode == LWSWSOPC_PONG && !pmdrx.eb_in.len"), and peers echo it. */
static inline int rs_ws_write_ping(struct lws *wsi) {
    unsigned char buf[LWS_PRE + 2];
    buf[LWS_PRE] = 'r';
    buf[LWS_PRE + 1] = 's';
    return lws_write(wsi, &buf[LWS_PRE], 2, LWS_WRITE_PING);
}
/* ---- end server helpers ---- */

#endif
