from enum import StrEnum


class CancelReplyStatus(StrEnum):
    ALREADY_COMPLETED = "ALREADY_COMPLETED"
    CANCELLATION_REQUESTED = "CANCELLATION_REQUESTED"
    NOT_FOUND = "NOT_FOUND"

    def __str__(self) -> str:
        return str(self.value)
