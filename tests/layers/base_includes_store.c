/* Wrong direction: the base reaching up into the store. */
#include "base.h"
#include "store.h"
