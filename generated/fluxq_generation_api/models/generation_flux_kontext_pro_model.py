from enum import StrEnum


class GenerationFluxKontextProModel(StrEnum):
    FLUX_KONTEXT_PRO = "flux_kontext_pro"

    def __str__(self) -> str:
        return str(self.value)
