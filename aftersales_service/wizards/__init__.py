from . import aftersales_warranty_void
from . import aftersales_warranty_extend
from . import aftersales_service_order_coverage
from . import aftersales_service_order_workshop
from . import aftersales_loan_lend
