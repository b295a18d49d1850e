from . import aftersales_warranty_void
from . import aftersales_warranty_extend
from . import aftersales_service_order_coverage
from . import aftersales_service_order_workshop
from . import aftersales_loan_lend
from . import aftersales_supplier_claim_wizard
from . import aftersales_supplier_claim_wizard_line
from . import aftersales_supplier_claim_answer
