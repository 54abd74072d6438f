from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from cohorts.certificates.models import (
    CertificateDesign,
    CertificateSignature,
    CompletionRule,
    DesignLanguage,
    RequiredAssignments,
)
from tests.factories.cohorts import CohortFactory


class CertificateDesignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateDesign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Design {n}")
    language = DesignLanguage.BILINGUAL

    @factory.post_generation
    def signatures(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            CertificateSignature.objects.create(
                design=self, signer_name="王明远", signer_title="首席讲师", sort_order=0
            )


class CompletionRuleFactory(factory.django.DjangoModelFactory):
    """Rules nobody can miss by default: nothing required, so everyone is eligible."""

    class Meta:
        model = CompletionRule

    cohort = factory.SubFactory(CohortFactory)
    design = factory.SubFactory(CertificateDesignFactory)
    required_assignments = RequiredAssignments.NONE
    hours = Decimal("24")
