/*
 * Writing what a replay found: the text report, the vmapreport YAML
 * document and the text dump of a state.
 */
#ifndef VMAPVIEW_REPORT_H
#define VMAPVIEW_REPORT_H

#include <stdio.h>

#include "replay.h"

void	report_heading(FILE *, const struct replay *);
void	report_text(FILE *, const struct replay *, int);
void	report_summary(FILE *, const struct replay *);
void	report_measures(FILE *, const struct replay *, const Stats *);
int	report_yaml(FILE *, const struct replay *);
int	report_yaml_summary(FILE *, const struct replay *);
void	dump_text(FILE *, const struct replay *);

#endif
