/* Wrong direction: the store reaching up into the engine. */
#include "store.h"
#include "engine.h"
