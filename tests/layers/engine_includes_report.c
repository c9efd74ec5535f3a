/* Wrong direction: the engine reaching sideways into the report layer. */
#include "engine.h"
#include "report.h"
