using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Profile;

namespace LegacyLinking.Tests.Web.Profile;

/// <summary>The profile as a person reads it: names for sign-in methods, masked phones, labelled settings, plain messages.</summary>
public sealed class ProfileViewTests
{
    private static UserProfile Sms() => new(
        "sms|560ebaeef609ee1adaa7c551", "+14258831929", "+14258831929", null, false,
        [new ProfileIdentity("sms", "560ebaeef609ee1adaa7c551", "sms", true, [])],
        """{"color": "blue"}""", """{"roles": ["AppAdmin", "Support"], "beta": true, "plan": {"tier": 2}}""", []);

    [Fact]
    public void An_sms_user_is_shown_by_a_masked_phone_and_a_silhouette_not_a_lone_plus()
    {
        var view = ProfileView.Of(Sms());
        Assert.Equal("phone number ending in 1929", view.DisplayName);
        Assert.Null(view.Initials);
        Assert.False(view.NeedsVerifiedEmail); // no email: linking is open to it
        var account = Assert.Single(view.Accounts);
        Assert.Equal(("Phone", "phone number ending in 1929", true), (account.Method.Name, account.Account, account.IsPrimary));
        Assert.Contains(new LabelledValue("User id", "sms|560ebaeef609ee1adaa7c551"), account.Details);
    }

    [Fact]
    public void Metadata_reads_as_labelled_values()
    {
        var view = ProfileView.Of(Sms());
        Assert.Equal([new LabelledValue("Color", "blue")], view.Preferences);
        Assert.Equal(
            [new LabelledValue("Roles", "AppAdmin, Support"), new LabelledValue("Beta", "yes"), new LabelledValue("Plan", """{"tier":2}""")],
            view.AccessSettings);
        Assert.Equal("Favorite color", ProfileView.Label("favorite_color"));
    }

    [Fact]
    public void A_linked_identity_is_shown_by_what_its_profile_data_holds()
    {
        var profile = new UserProfile("google-oauth2|1", "John Doe", "johndoe", "johndoe@gmail.com", true,
        [
            new ProfileIdentity("google-oauth2", "1", "google-oauth2", true, []),
            new ProfileIdentity("sms", "2", "sms", false, [KeyValuePair.Create("phone_number", "+14258831929")]),
            new ProfileIdentity("auth0", "3", "Username-Password-Authentication", false, [KeyValuePair.Create("email", "ada@example.com")]),
        ], null, null, []);
        var view = ProfileView.Of(profile);
        Assert.Equal("JD", view.Initials);
        Assert.Equal(
            [("Google", "johndoe@gmail.com"), ("Phone", "phone number ending in 1929"), ("Email and password", "ada@example.com")],
            view.Accounts.Select(a => (a.Method.Name, a.Account)));
        Assert.DoesNotContain(view.Accounts[1].Details, d => d.Value.Contains("4258831929"));
        Assert.Contains(new LabelledValue("Phone number", "phone number ending in 1929"), view.Accounts[1].Details);
    }

    [Theory]
    [InlineData("google-oauth2", "Google")]
    [InlineData("github", "GitHub")]
    [InlineData("Username-Password-Authentication", "Email and password")]
    [InlineData("sms", "Phone")]
    [InlineData("corporate-saml", "corporate-saml")]
    public void Connections_are_named_as_people_know_them(string connection, string name) =>
        Assert.Equal(name, Providers.Of(connection).Name);

    [Theory]
    [InlineData("primary_unverified", "verified email")]
    [InlineData("primary_identity", "cannot be unlinked")]
    [InlineData("wrong_account", "different account")]
    [InlineData("tenant_unavailable", "did not answer")]
    public void Refusals_are_told_in_plain_words_without_the_flow(string code, string words)
    {
        var message = ProfileMessages.For(new LinkingOutcome("unlink", "LegacyIdToken", "Default", Outcomes.Refused, null, code, "raw", TimeSpan.Zero), "sms");
        Assert.StartsWith("Error: ", message);
        Assert.Contains(words, message);
        Assert.DoesNotContain("LegacyIdToken", message);
    }

    [Fact]
    public void A_switched_off_legacy_flow_and_a_rate_limit_say_what_to_do_not_what_the_tenant_said()
    {
        var off = ProfileMessages.For(new LinkingOutcome("link", "LegacyIdToken", "Default", Outcomes.Rejected, 401, "invalid_token",
            "Linking through LegacyIdToken was rejected by the tenant (401 invalid_token): Bad audience: legacylinking-web", TimeSpan.Zero), "sms");
        Assert.Equal("Error: This way of linking has been switched off on the sign-in service. Nothing was linked. Please tell your administrator.", off);
        var limited = ProfileMessages.For(new LinkingOutcome("link", "AccessToken", "Default", Outcomes.Rejected, 429, "too_many_requests", "raw", TimeSpan.Zero), "sms");
        Assert.Equal("Error: The sign-in service is busy. Nothing was linked. Wait a minute and try again.", limited);
    }
}
