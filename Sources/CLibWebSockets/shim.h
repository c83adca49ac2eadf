#ifndef ROADSHOW_CLIBWEBSOCKETS_SHIM_H
#define ROADSHOW_CLIBWEBSOCKETS_SHIM_H

#include <libwebsockets.h>

/* Macros Swift cannot import, exported as constants. */
static const size_t rs_lws_pre = LWS_PRE;

/* lws_callback_function pointers are set from Swift; these helpers keep the
   variadic / macro-based parts of the API out of Swift. */
static inline void rs_lws_set_log_level(int level) {
    lws_set_log_level(level, NULL);
}

#endif
