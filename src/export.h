/*
 * vmapview export: the map at an event and the measures over a run, as
 * SVG pictures.
 */
#ifndef VMAPVIEW_EXPORT_H
#define VMAPVIEW_EXPORT_H

#include <stdio.h>

#include "replay.h"

int	export_map(FILE *, const struct replay *const *, int);
int	export_plot(FILE *, const struct replay *, int);

#endif
