"""allauth adapter: LandHub has no usernames; names come from the person record."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # The user model has no username field.
        return None
