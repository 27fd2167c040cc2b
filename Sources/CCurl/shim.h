#ifndef OTKLIK_CCURL_SHIM_H
#define OTKLIK_CCURL_SHIM_H
#include <curl/curl.h>

/* Typed, non-variadic wrappers: Swift cannot call C variadic functions. */
typedef size_t (*otk_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*otk_curl_xferinfo_cb)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                    curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode otk_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode otk_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode otk_easy_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode otk_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode otk_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode otk_easy_setopt_data_cb(CURL *h, CURLoption o, otk_curl_data_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode otk_easy_setopt_xferinfo_cb(CURL *h, CURLoption o, otk_curl_xferinfo_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode otk_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode otk_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode otk_easy_getinfo_str(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode otk_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode otk_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline long otk_curl_global_ssl(void) { return CURL_GLOBAL_ALL; }
#endif
