// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The DeepSpeed "aio" config block. DeepSpeed's config reader
 * (deepspeed/runtime/swap_tensor/aio_config.py) silently ignores keys it
 * does not know and wants real booleans, so two defects of DeepSpeed's own
 * generators are avoided here: booleans are JSON true/false, never the
 * strings "true"/"false", and the parallelism key is intra_op_parallelism
 * (thread_count for older releases), never num_threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dsconfig.h"
#include "report.h"
#include "sweepparam.h"

/* The spelling of a dimension's "aio" key that is written. */
static const char *aio_key(const struct sweep_param *sp, bool legacy_keys)
{
	return legacy_keys && sp->aio_legacy_key ? sp->aio_legacy_key :
						   sp->aio_key;
}

json_object *dsaio_aio_config(const struct dsaio_params *p, bool legacy_keys)
{
	json_object *root = json_object_new_object();
	json_object *aio = json_object_new_object();
	bool ok = root && aio;
	size_t i;

	/* The measured keys in the table's order, then use_gds. */
	for (i = 0; ok && i <= dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = i < dsaio_n_sweep_params ?
			sweep_param_nth(SPO_TABLE, i) : NULL;
		const char *k = sp ? aio_key(sp, legacy_keys) : "use_gds";
		json_object *v;

		if (sp && !k)
			continue;	/* not a key of the block */
		if (!sp || sp->kind == SP_BOOL)
			v = json_object_new_boolean(sp && sweep_param_get(sp, p));
		else
			v = json_object_new_int64((int64_t)sweep_param_get(sp, p));
		if (v && json_object_object_add(aio, k, v) == 0)
			continue;
		ok = false;
		json_object_put(v);	/* NULL-safe */
	}
	if (ok && json_object_object_add(root, "aio", aio) == 0)
		return root;
	json_object_put(aio);
	json_object_put(root);
	return NULL;
}

/* The whole file as a NUL-terminated string; errors as sentences. */
static char *slurp(const char *path, char *err, size_t errlen, int *rc)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f) {
		*rc = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path,
			 strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb) {
				*rc = -ENOMEM;
				snprintf(err, errlen, "out of memory reading %s",
					 path);
				goto fail;
			}
			buf = nb;
			cap += 65536;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		*rc = -EIO;
		snprintf(err, errlen, "cannot read %s", path);
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		*rc = -EINVAL;
		snprintf(err, errlen, "%s holds a NUL byte: not a JSON file",
			 path);
		free(buf);
		return NULL;
	}
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static json_object *load_object(const char *path, char *err, size_t errlen,
				int *rc)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *o;
	char *text = slurp(path, err, errlen, rc);

	if (!text)
		return NULL;
	tok = json_tokener_new();
	if (!tok) {
		free(text);
		*rc = -ENOMEM;
		snprintf(err, errlen, "out of memory parsing %s", path);
		return NULL;
	}
	o = json_tokener_parse_ex(tok, text, (int)strlen(text));
	jerr = json_tokener_get_error(tok);
	if (o && jerr == json_tokener_success &&
	    text[json_tokener_get_parse_end(tok) +
		 strspn(text + json_tokener_get_parse_end(tok), " \t\r\n")]) {
		/* One JSON document, nothing after it. */
		json_object_put(o);
		o = NULL;
	}
	if (!o || jerr != json_tokener_success) {
		*rc = -EINVAL;
		snprintf(err, errlen, "%s is not valid JSON: %s (near byte %zu)",
			 path, jerr == json_tokener_success ?
			 "unexpected text after the JSON object" :
			 jerr == json_tokener_continue ? "unexpected end" :
			 json_tokener_error_desc(jerr),
			 json_tokener_get_parse_end(tok));
		json_object_put(o);
		o = NULL;
	} else if (!json_object_is_type(o, json_type_object)) {
		*rc = -EINVAL;
		snprintf(err, errlen, "%s is not a DeepSpeed config: the top "
			 "level is not a JSON object", path);
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	free(text);
	return o;
}

/* Whether k is a measured key as written (in the spelling chosen). */
static bool is_measured(const char *k, bool legacy_keys)
{
	size_t i;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const char *w = aio_key(&dsaio_sweep_params[i], legacy_keys);

		if (w && !strcmp(k, w))
			return true;
	}
	return false;
}

/* A key of two spellings given in the one not written: the row, or NULL. */
static const struct sweep_param *other_spelling(const char *k,
						bool legacy_keys)
{
	size_t i;

	for (i = 0; i < dsaio_n_sweep_params; i++) {
		const struct sweep_param *sp = &dsaio_sweep_params[i];
		const char *other = legacy_keys ? sp->aio_key : sp->aio_legacy_key;

		if (sp->aio_legacy_key && !strcmp(k, other))
			return sp;
	}
	return NULL;
}

/*
 * The user's aio block with only the measured keys changed: every other
 * key (use_gds, anything DeepSpeed adds later) keeps its value and place.
 * The parallelism key has two spellings, and a DeepSpeed release reads
 * one only; a stale value under the other spelling would be silently
 * used by the other releases, so it is renamed in place to the spelling
 * written and the file holds one. Without an aio object, the fresh
 * block (measured keys and use_gds false) as it is.
 */
static json_object *merged_aio(json_object *old, json_object *fresh,
			       bool legacy_keys)
{
	json_object *out;

	if (!fresh)
		return NULL;
	if (!old || !json_object_is_type(old, json_type_object))
		return json_object_get(fresh);
	out = json_object_new_object();
	if (!out)
		return NULL;
	json_object_object_foreach(old, key, val) {
		const struct sweep_param *sp = other_spelling(key, legacy_keys);
		const char *k = key;
		json_object *v;

		if (sp) {
			k = aio_key(sp, legacy_keys);
			if (json_object_object_get_ex(old, k, NULL))
				continue;	/* the spelling written is there */
		}
		v = is_measured(k, legacy_keys) ? json_object_object_get(fresh, k) : val;
		if (json_object_object_add(out, k, json_object_get(v)))
			goto fail;
	}
	json_object_object_foreach(fresh, fkey, fval) {
		if (!is_measured(fkey, legacy_keys) ||
		    json_object_object_get_ex(out, fkey, NULL))
			continue;
		if (json_object_object_add(out, fkey, json_object_get(fval)))
			goto fail;
	}
	return out;
fail:
	json_object_put(out);
	return NULL;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t w = write(fd, s, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

int dsaio_merge_into(const char *path, const struct dsaio_params *p,
		     bool legacy_keys, char *err, size_t errlen)
{
	char real[PATH_MAX], tmp[PATH_MAX + 16], dirbuf[PATH_MAX];
	json_object *cfg, *aio_root, *aio;
	const char *text;
	struct stat st;
	int fd = -1, dfd, rc = 0;

	/* Follow a symlink so the target is replaced, not the link. */
	if (!realpath(path, real)) {
		rc = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return rc;
	}
	cfg = load_object(real, err, errlen, &rc);
	if (!cfg)
		return rc;
	if (stat(real, &st)) {
		rc = -errno;
		snprintf(err, errlen, "cannot stat %s: %s", real, strerror(errno));
		goto out;
	}
	aio_root = dsaio_aio_config(p, legacy_keys);
	aio = aio_root ? merged_aio(json_object_object_get(cfg, "aio"),
				    json_object_object_get(aio_root, "aio"),
				    legacy_keys) : NULL;
	json_object_put(aio_root);
	/* Replacing an existing key keeps its place among the others. */
	if (!aio || json_object_object_add(cfg, "aio", aio)) {
		json_object_put(aio);
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory building the aio block");
		goto out;
	}
	text = json_object_to_json_string_ext(cfg, DSAIO_JSON_PRETTY);
	if (!text) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory writing JSON");
		goto out;
	}

	/* A temporary file in the same directory, so rename() is atomic:
	 * readers see the old file or the new one, never a partial one. */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", real);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot create a temporary file beside "
			 "%s: %s", real, strerror(errno));
		goto out;
	}
	rc = write_all(fd, text, strlen(text));
	if (!rc)
		rc = write_all(fd, "\n", 1);
	/* Keep the original's permissions (mkstemp makes 0600). */
	if (!rc && fchmod(fd, st.st_mode & 07777))
		rc = -errno;
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, real))
		rc = -errno;
	if (rc) {
		snprintf(err, errlen, "cannot write %s: %s (left unchanged)",
			 real, strerror(-rc));
		unlink(tmp);
		goto out;
	}
	/* Make the rename itself durable. */
	snprintf(dirbuf, sizeof(dirbuf), "%s", real);
	dfd = open(dirname(dirbuf), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);	/* best effort: the new file is in place */
		close(dfd);
	}
out:
	json_object_put(cfg);
	return rc;
}
