// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The "aio" block (real booleans, key names) and --merge-into. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "tap.h"
#include "dsconfig.h"

static char *read_all(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int main(void)
{
	struct dsaio_params p;
	json_object *o, *aio, *v;
	const char *s;
	char err[512], path[600], tmpl[] = "/tmp/dsaio-cfgtest-XXXXXX";
	struct stat st;
	int rc;

	memset(&p, 0, sizeof(p));
	p.block_size = 1 << 20;
	p.queue_depth = 8;
	p.io_parallel = 4;
	p.processes = 1;
	p.single_submit = false;
	p.overlap_events = true;

	o = dsaio_aio_config(&p, false);
	s = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "";
	is_str(s, "{\"aio\":{\"block_size\":1048576,\"queue_depth\":8,"
	       "\"intra_op_parallelism\":4,\"single_submit\":false,"
	       "\"overlap_events\":true,\"use_gds\":false}}",
	       "aio block: keys, numbers, real booleans");
	ok(o && json_object_object_get_ex(o, "aio", &aio) &&
	   json_object_object_get_ex(aio, "single_submit", &v) &&
	   json_object_is_type(v, json_type_boolean),
	   "single_submit is a JSON boolean, not a string");
	ok(o && !strstr(s, "num_threads") && !strstr(s, "thread_count") &&
	   !strstr(s, "\"true\"") && !strstr(s, "\"false\""),
	   "no num_threads, no string booleans");
	json_object_put(o);
	o = dsaio_aio_config(&p, true);
	s = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "";
	ok(strstr(s, "\"thread_count\":4") && !strstr(s, "intra_op"),
	   "legacy keys: thread_count");
	json_object_put(o);

	if (!mkdtemp(tmpl)) {
		ok(0, "mkdtemp");
		return done();
	}
	snprintf(path, sizeof(path), "%s/ds_config.json", tmpl);
	put(path, "{\n  \"train_batch_size\": 16,\n  \"aio\": {\"block_size\": "
	    "4096, \"thread_count\": 1, \"single_submit\": \"true\"},\n"
	    "  \"zero_optimization\": {\"stage\": 3, \"offload_param\": "
	    "{\"device\": \"nvme\", \"nvme_path\": \"/local_nvme\"}}\n}\n");
	chmod(path, 0640);
	rc = dsaio_merge_into(path, &p, false, err, sizeof(err));
	ok(rc == 0, "merge into an existing config: %s", rc ? err : "ok");
	o = json_object_from_file(path);
	ok(o && json_object_object_get_ex(o, "train_batch_size", &v) &&
	   json_object_get_int(v) == 16 &&
	   json_object_object_get_ex(o, "zero_optimization", &v) &&
	   json_object_object_get_ex(v, "offload_param", &v) &&
	   json_object_object_get_ex(v, "nvme_path", &v) &&
	   !strcmp(json_object_get_string(v), "/local_nvme"),
	   "every other key kept, nested values intact");
	ok(o && json_object_object_get_ex(o, "aio", &aio) &&
	   json_object_object_length(aio) == 5 &&
	   json_object_object_get_ex(aio, "block_size", &v) &&
	   json_object_get_int64(v) == 1 << 20 &&
	   !json_object_object_get_ex(aio, "thread_count", NULL) &&
	   json_object_object_get_ex(aio, "intra_op_parallelism", &v) &&
	   json_object_get_int(v) == 4 &&
	   json_object_object_get_ex(aio, "single_submit", &v) &&
	   json_object_is_type(v, json_type_boolean) &&
	   !json_object_object_get_ex(aio, "use_gds", NULL),
	   "measured keys set, stale thread_count renamed, nothing else added");
	json_object_put(o);
	s = read_all(path);
	ok(s && strstr(s, "\"block_size\"") < strstr(s, "\"intra_op_parallelism\"") &&
	   strstr(s, "\"intra_op_parallelism\"") < strstr(s, "\"single_submit\""),
	   "thread_count renamed in its place");

	s = read_all(path);
	ok(s && strstr(s, "train_batch_size") < strstr(s, "\"aio\"") &&
	   strstr(s, "\"aio\"") < strstr(s, "zero_optimization"),
	   "key order kept: aio stays in its place");
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640,
	   "file mode kept");

	/* Keys the sweep did not measure stay: use_gds true, unknown keys. */
	put(path, "{\"aio\": {\"use_gds\": true, \"block_size\": 4096, "
	    "\"my_future_key\": [1, 2], \"intra_op_parallelism\": 2, "
	    "\"thread_count\": 9}}\n");
	rc = dsaio_merge_into(path, &p, false, err, sizeof(err));
	o = rc ? NULL : json_object_from_file(path);
	ok(o && json_object_object_get_ex(o, "aio", &aio) &&
	   json_object_object_get_ex(aio, "use_gds", &v) &&
	   json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v),
	   "merge keeps \"use_gds\": true");
	ok(o && json_object_object_get_ex(aio, "my_future_key", &v) &&
	   json_object_is_type(v, json_type_array) &&
	   json_object_array_length(v) == 2, "merge keeps an unknown key");
	ok(o && json_object_object_get_ex(aio, "intra_op_parallelism", &v) &&
	   json_object_get_int(v) == 4 &&
	   !json_object_object_get_ex(aio, "thread_count", NULL) &&
	   json_object_object_get_ex(aio, "queue_depth", &v) &&
	   json_object_get_int(v) == 8 &&
	   json_object_object_get_ex(aio, "overlap_events", &v) &&
	   json_object_object_length(aio) == 7,
	   "measured keys updated or added, one parallelism spelling");
	json_object_put(o);
	rc = dsaio_merge_into(path, &p, true, err, sizeof(err));
	o = rc ? NULL : json_object_from_file(path);
	ok(o && json_object_object_get_ex(o, "aio", &aio) &&
	   json_object_object_get_ex(aio, "thread_count", &v) &&
	   json_object_get_int(v) == 4 &&
	   !json_object_object_get_ex(aio, "intra_op_parallelism", NULL) &&
	   json_object_object_get_ex(aio, "use_gds", &v) && json_object_get_boolean(v),
	   "legacy keys: intra_op_parallelism renamed to thread_count, use_gds kept");
	json_object_put(o);

	/* No aio block: the whole block, use_gds false. */
	put(path, "{\"train_batch_size\": 8}\n");
	rc = dsaio_merge_into(path, &p, false, err, sizeof(err));
	o = rc ? NULL : json_object_from_file(path);
	ok(o && json_object_object_get_ex(o, "aio", &aio) &&
	   json_object_object_length(aio) == 6 &&
	   json_object_object_get_ex(aio, "use_gds", &v) &&
	   !json_object_get_boolean(v), "absent aio block created with use_gds false");
	json_object_put(o);

	/* Errors leave the file untouched and leave no temporary file. */
	put(path, "{\"train_batch_size\": 16, \"aio\": {}");
	rc = dsaio_merge_into(path, &p, false, err, sizeof(err));
	s = read_all(path);
	ok(rc < 0 && strstr(err, "not valid JSON") &&
	   s && !strcmp(s, "{\"train_batch_size\": 16, \"aio\": {}"),
	   "malformed config refused, original untouched: %s", err);
	put(path, "[1, 2]\n");
	rc = dsaio_merge_into(path, &p, false, err, sizeof(err));
	s = read_all(path);
	ok(rc < 0 && strstr(err, "not a JSON object") && s &&
	   !strcmp(s, "[1, 2]\n"), "non-object refused, untouched: %s", err);
	put(path, "{} {}\n");
	rc = dsaio_merge_into(path, &p, false, err, sizeof(err));
	ok(rc < 0, "two documents refused: %s", err);
	snprintf(path, sizeof(path), "%s/missing.json", tmpl);
	rc = dsaio_merge_into(path, &p, false, err, sizeof(err));
	ok(rc < 0 && strstr(err, "missing.json"), "missing file: %s", err);
	{
		char cmd[700];
		FILE *ls;
		int count = 0;

		snprintf(cmd, sizeof(cmd), "ls -A '%s'", tmpl);
		ls = popen(cmd, "r");
		while (ls && fgets(err, sizeof(err), ls))
			count++;
		if (ls)
			pclose(ls);
		is_int(count, 1, "no temporary file left behind");
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			printf("# cleanup failed\n");
	}
	return done();
}
