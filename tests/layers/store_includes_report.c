/* Wrong direction: the store reaching up into the report layer. */
#include "store.h"
#include "report.h"
