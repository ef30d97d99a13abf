namespace LegacyLinking.Tests.Infrastructure;

/// <summary>The local tenant's seeded demo users (localtenant.json; dev-only credentials).</summary>
public static class Seeded
{
    public const string John = "google-oauth2|115015401343387192604";
    public const string JohnSms = "sms|560ebaeef609ee1adaa7c551";
    public const string JohnSmsPhone = "+14258831929";
    public const string AdaDatabase = "auth0|5f7c8ec7c33c6c004bbafe82";
    public const string AdaEmail = "ada@example.com";
    public const string AdaPassword = "Ada-Passw0rd!";
    public const string AdaGithub = "github|1234567";
    public const string AdaFacebookUnverified = "facebook|10158000000000001";
    public const string Qa = "auth0|5f7c8ec7c33c6c004bbafe83";
    public const string QaEmail = "qa@example.com";
    public const string QaPassword = "Qa-Passw0rd!";
}
