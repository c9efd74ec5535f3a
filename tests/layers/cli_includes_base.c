/* Wrong direction: the command line reaching past the public header. */
#include "equirule.h"
#include "base.h"
