from enum import StrEnum


class GenerationFlux2ProModel(StrEnum):
    FLUX_2_PRO = "flux_2_pro"

    def __str__(self) -> str:
        return str(self.value)
