"""Contains all the data models used in inputs/outputs"""

from .application_error import ApplicationError
from .error_envelope import ErrorEnvelope
from .generation_flux_2_pro import GenerationFlux2Pro
from .generation_flux_2_pro_model import GenerationFlux2ProModel
from .generation_flux_2_pro_output_format import GenerationFlux2ProOutputFormat
from .generation_flux_kontext_pro import GenerationFluxKontextPro
from .generation_flux_kontext_pro_model import GenerationFluxKontextProModel
from .generation_flux_kontext_pro_output_format import GenerationFluxKontextProOutputFormat
from .generation_flux_pro_11 import GenerationFluxPro11
from .generation_flux_pro_11_model import GenerationFluxPro11Model
from .generation_flux_pro_11_output_format import GenerationFluxPro11OutputFormat
from .generation_output import GenerationOutput
from .generation_task import GenerationTask
from .generation_task_metadata import GenerationTaskMetadata
from .output_content import OutputContent
from .task_state import TaskState
from .usage import Usage

__all__ = (
    "ApplicationError",
    "ErrorEnvelope",
    "GenerationFlux2Pro",
    "GenerationFlux2ProModel",
    "GenerationFlux2ProOutputFormat",
    "GenerationFluxKontextPro",
    "GenerationFluxKontextProModel",
    "GenerationFluxKontextProOutputFormat",
    "GenerationFluxPro11",
    "GenerationFluxPro11Model",
    "GenerationFluxPro11OutputFormat",
    "GenerationOutput",
    "GenerationTask",
    "GenerationTaskMetadata",
    "OutputContent",
    "TaskState",
    "Usage",
)
