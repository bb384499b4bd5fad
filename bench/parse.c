/*
 * The yardstick: a bare libyaml event parse of a file, every event
 * fetched and deleted, nothing kept.  No trace can be read faster.
 */
#include <stdio.h>
#include <stdlib.h>

#include <yaml.h>

int
main(int argc, char **argv)
{
	yaml_parser_t p;
	yaml_event_t ev;
	FILE *f;
	unsigned long n;
	int done;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: parse FILE\n");
		return 2;
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	n = 0;
	for (done = 0; !done; n++) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "parse error\n");
			return 1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
	printf("%lu events\n", n);
	return 0;
}
