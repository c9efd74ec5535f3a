/* Wrong direction: a report file reaching into the engine. Must not build. */
#include "report.h"
#include "engine.h"
