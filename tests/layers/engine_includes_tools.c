/* Wrong direction: the engine reaching up into the tools. */
#include "engine.h"
#include "tools.h"
