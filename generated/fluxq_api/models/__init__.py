"""Contains all the data models used in inputs/outputs"""

from .application_error import ApplicationError
from .cancel_reply import CancelReply
from .cancel_reply_status import CancelReplyStatus
from .failed_result import FailedResult
from .failed_result_status import FailedResultStatus
from .flux_2_pro_input import Flux2ProInput
from .flux_2_pro_input_output_format import Flux2ProInputOutputFormat
from .flux_kontext_pro_input import FluxKontextProInput
from .flux_kontext_pro_input_output_format import FluxKontextProInputOutputFormat
from .flux_pro_11_input import FluxPro11Input
from .flux_pro_11_input_output_format import FluxPro11InputOutputFormat
from .gateway_error import GatewayError
from .gateway_error_detail import GatewayErrorDetail
from .metrics import Metrics
from .output_item import OutputItem
from .output_item_type import OutputItemType
from .queue_result import QueueResult
from .queue_result_metadata import QueueResultMetadata
from .queue_result_status import QueueResultStatus
from .queue_status import QueueStatus
from .queue_status_logs_type_0_item import QueueStatusLogsType0Item
from .queue_submission import QueueSubmission
from .task_status import TaskStatus
from .validation_issue import ValidationIssue

__all__ = (
    "ApplicationError",
    "CancelReply",
    "CancelReplyStatus",
    "FailedResult",
    "FailedResultStatus",
    "Flux2ProInput",
    "Flux2ProInputOutputFormat",
    "FluxKontextProInput",
    "FluxKontextProInputOutputFormat",
    "FluxPro11Input",
    "FluxPro11InputOutputFormat",
    "GatewayError",
    "GatewayErrorDetail",
    "Metrics",
    "OutputItem",
    "OutputItemType",
    "QueueResult",
    "QueueResultMetadata",
    "QueueResultStatus",
    "QueueStatus",
    "QueueStatusLogsType0Item",
    "QueueSubmission",
    "TaskStatus",
    "ValidationIssue",
)
