"""Identity providers that tests start on this machine, so single sign-on is tested against
real protocol traffic instead of mocks of the relying party's library."""
