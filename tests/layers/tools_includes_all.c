/* Right direction, the control case: the tools see the engine, the report
 * layer, the store and the base. Must build. */
#include "tools.h"
#include "report.h"
#include "store.h"
#include "base.h"

int er_layer_probe(void);
int er_layer_probe(void)
{
    return ER_OK;
}
