"""factory_boy factories for offerings, used by tests, the demo and bench/."""

from __future__ import annotations

import factory
from django.utils.text import slugify

from landhub.directory.factories import OrganizationFactory

from .models import Offering, OfferingProvider, OfferingStatus, OfferingType


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Offering {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Something partners offer landscape partnerships."
    type = OfferingType.SERVICE
    status = OfferingStatus.PUBLISHED
    languages = ",en,"

    @factory.post_generation
    def providers(self, create, extracted, **kwargs):
        """``providers=[org, …]``: the first one leads; one new organization by default."""
        if not create:
            return
        for index, organization in enumerate(extracted or [OrganizationFactory()]):
            OfferingProvider.objects.create(
                offering=self, organization=organization, is_lead=index == 0
            )

    @factory.post_generation
    def capabilities(self, create, extracted, **kwargs):
        if create and extracted:
            self.capabilities.set(extracted)
