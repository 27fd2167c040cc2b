#ifndef OTKLIK_CSQLITE_SHIM_H
#define OTKLIK_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift does not import. */
static inline int otk_sqlite3_bind_text_transient(sqlite3_stmt *s, int i, const char *v, int n) {
    return sqlite3_bind_text(s, i, v, n, SQLITE_TRANSIENT);
}
static inline int otk_sqlite3_bind_blob_transient(sqlite3_stmt *s, int i, const void *v, int n) {
    return sqlite3_bind_blob(s, i, v, n, SQLITE_TRANSIENT);
}
/* A read prefetch hint (Swift has no prefetch): the dedupe index asks for the cache lines
   of a post's buckets before it takes its lock. Not SQLite's, but every target that needs it
   already imports this module. */
static inline void otk_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
#endif
