using NetArchTest.Rules;

namespace LegacyLinking.Tests.Web;

/// <summary>
/// Each concern depends only on the ones below it, never in a circle (read from the compiled app, method bodies
/// included): the tenant's clients know nothing of sign-in, sign-in nothing of linking, linking nothing of how it is
/// recorded or shown. <c>Hosting/</c> and <c>Pages/</c> compose everything; <c>Data/</c> maps every concern's tables.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Web = "LegacyLinking.Web.";

    public static TheoryData<string, string[]> Layers => new()
    {
        { "Auth0", ["Authentication", "Linking", "PasswordReset", "Profile", "MigrationTracking", "Flags", "QaConsole", "Pages", "Ramp"] },
        { "Authentication", ["Linking", "PasswordReset", "Profile", "MigrationTracking", "QaConsole", "Pages", "Ramp"] },
        { "Flags", ["Linking", "PasswordReset", "Profile", "MigrationTracking", "QaConsole", "Pages", "Ramp"] },
        { "Linking", ["PasswordReset", "Profile", "MigrationTracking", "QaConsole", "Pages", "Ramp"] },
        { "PasswordReset", ["Profile", "QaConsole", "Pages", "Ramp"] },
        { "MigrationTracking", ["PasswordReset", "Profile", "QaConsole", "Pages", "Ramp"] },
        { "Profile", ["PasswordReset", "QaConsole", "Pages", "Ramp"] },
        { "Ramp", ["PasswordReset", "Profile", "QaConsole", "Pages"] },
        { "QaConsole", ["Pages"] },
        { "Outages", ["Linking", "PasswordReset", "Profile", "MigrationTracking", "QaConsole", "Pages", "Ramp"] },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_concern_does_not_reach_up_to_the_ones_built_on_it(string concern, string[] above)
    {
        var result = Types.InAssembly(typeof(LegacyLinking.Web.AppCookies).Assembly)
            .That().ResideInNamespace(Web + concern)
            .ShouldNot().HaveDependencyOnAny([.. above.Select(a => Web + a)])
            .GetResult();

        Assert.True(result.IsSuccessful, $"{concern} depends on what is built on it: {string.Join("; ", result.FailingTypes.Select(t => $"{t.FullName} ({t.Explanation})"))}");
    }
}
