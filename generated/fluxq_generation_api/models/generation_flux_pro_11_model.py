from enum import StrEnum


class GenerationFluxPro11Model(StrEnum):
    FLUX_PRO_11 = "flux_pro_11"

    def __str__(self) -> str:
        return str(self.value)
