using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Sessions;
using LegacyLinking.LocalTenant.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace LegacyLinking.LocalTenant.Pages;

/// <summary>
/// The universal login page: one section per connection (only the requested one when /authorize named a
/// <c>connection</c>). A successful sign-in starts the tenant session and goes back to the authorization request.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class LoginModel(
    TenantDbContext db,
    UserDirectory users,
    PasswordlessCodes codes,
    TenantSessions sessions,
    IOpenIddictApplicationManager applications,
    LoginEvents loginEvents) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Otp { get; set; }
    [BindProperty] public string? Sub { get; set; }

    public string ClientName { get; private set; } = "the application";
    public IReadOnlyList<LoginSection> Sections { get; private set; } = [];
    public string? ErrorMessage { get; private set; }

    /// <summary>Set once a code was sent: the sms section then asks for it.</summary>
    public string? CodeSentTo { get; private set; }

    /// <summary>The code itself, shown on the page because this tenant sends no text messages.</summary>
    public string? ShownCode { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } invalid) return invalid;
        var hint = Query("login_hint");
        if (LoginInput.EmailProblem(hint) is null) Email = hint;
        else if (LoginInput.PhoneProblem(hint) is null) Phone = hint;
        return Page();
    }

    public async Task<IActionResult> OnPostLoginAsync()
    {
        if (await LoadAsync() is { } invalid) return invalid;
        if (Section(c => c.IsDatabase) is not { } section) return Unavailable();
        if ((LoginInput.EmailProblem(Email) ?? LoginInput.PasswordProblem(Password)) is { } problem) return Fail(problem);

        var identity = await users.VerifyPasswordAsync(section.Connection.Name, Email!.Trim(), Password!);
        if (identity is not null) return await SignInAsync(identity);
        await loginEvents.PasswordFailedAsync(section.Connection.Name, Email!.Trim(), Query("client_id"));
        return Fail("Wrong email or password.", StatusCodes.Status401Unauthorized);
    }

    public async Task<IActionResult> OnPostSignupAsync()
    {
        if (await LoadAsync() is { } invalid) return invalid;
        if (Section(c => c.IsDatabase) is not { } section) return Unavailable();
        if ((LoginInput.EmailProblem(Email) ?? LoginInput.NewPasswordProblem(Password)) is { } problem) return Fail(problem);

        var identity = await users.SignUpAsync(section.Connection, Email!.Trim(), Password!);
        if (identity is null)
        {
            await loginEvents.SignupFailedAsync(section.Connection.Name, Email!.Trim(), "The user already exists.", Query("client_id"));
            return Fail("A user with this email already exists.", StatusCodes.Status409Conflict);
        }
        await loginEvents.SignedUpAsync(identity, Query("client_id"));
        return await SignInAsync(identity);
    }

    public async Task<IActionResult> OnPostContinueAsync()
    {
        if (await LoadAsync() is { } invalid) return invalid;
        var section = Sections.FirstOrDefault(s => s.Connection.IsSocial && s.Profiles.Any(p => p.Sub == Sub));
        if (section is null) return Fail("Choose one of the accounts listed.");
        var identity = await users.FindSocialAsync(section.Connection.Name, Sub!);
        return identity is null ? Fail("Choose one of the accounts listed.") : await SignInAsync(identity);
    }

    public async Task<IActionResult> OnPostSmsAsync()
    {
        if (await LoadAsync() is { } invalid) return invalid;
        if (Section(c => c.IsPasswordless) is not { } section) return Unavailable();
        Phone = Phone?.Replace(" ", "");
        if (LoginInput.PhoneProblem(Phone) is { } problem) return Fail(problem);

        ShownCode = await codes.IssueAsync(Phone!);
        CodeSentTo = Phone;
        await loginEvents.CodeSentAsync(section.Connection.Name, Phone!, Query("client_id"));
        return Page();
    }

    public async Task<IActionResult> OnPostOtpAsync()
    {
        if (await LoadAsync() is { } invalid) return invalid;
        if (Section(c => c.IsPasswordless) is not { } section) return Unavailable();
        if (LoginInput.PhoneProblem(Phone) is { } phoneProblem) return Fail(phoneProblem);
        CodeSentTo = Phone;
        Otp = Otp?.Trim();
        if (LoginInput.CodeProblem(Otp) is { } codeProblem) return Fail(codeProblem);

        if (!await codes.RedeemAsync(Phone!, Otp!))
        {
            await loginEvents.FailedAsync(section.Connection.Name, Phone!, "Wrong phone number or verification code.", Query("client_id"));
            return Fail("Wrong or expired code. Check it, or send a new one.", StatusCodes.Status401Unauthorized);
        }
        return await SignInAsync(await users.FindOrCreateSmsAsync(section.Connection, Phone!));
    }

    private async Task<IActionResult> SignInAsync(TenantIdentity identity)
    {
        await users.RecordLoginAsync(identity);
        await sessions.SignInAsync(HttpContext, identity);
        await loginEvents.SucceededAsync(identity, Query("client_id"));
        return LocalRedirect(ReturnUrl!);
    }

    /// <summary>Validates the return URL (only this tenant's /authorize: no open redirect) and builds the sections.</summary>
    private async Task<IActionResult?> LoadAsync()
    {
        if (!LoginReturnUrl.IsValid(ReturnUrl, Url))
        {
            ErrorMessage = LoginReturnUrl.InvalidMessage;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Query("client_id") is { } clientId && await applications.FindByClientIdAsync(clientId) is { } application)
            ClientName = await applications.GetDisplayNameAsync(application) ?? clientId;

        var requested = Query("connection");
        var connections = await db.Connections.AsNoTracking()
            .Where(c => requested == null || c.Name == requested)
            .ToListAsync();
        if (connections.Count == 0)
        {
            ErrorMessage = $"The connection '{requested}' does not exist.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var sections = new List<LoginSection>();
        foreach (var connection in connections.OrderBy(LoginSection.Rank).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            var profiles = connection.IsSocial ? await users.ListSocialAsync(connection.Name) : [];
            sections.Add(new LoginSection(connection, profiles));
        }
        Sections = sections;
        return null;
    }

    private LoginSection? Section(Func<TenantConnection, bool> kind) => Sections.FirstOrDefault(s => kind(s.Connection));

    private string? Query(string name) => LoginReturnUrl.Parameter(ReturnUrl, name);

    private PageResult Unavailable() => Fail("This way of signing in is not available for this request.");

    private PageResult Fail(string message, int status = StatusCodes.Status400BadRequest)
    {
        ErrorMessage = message;
        Response.StatusCode = status;
        Password = null;
        Otp = null;
        return Page();
    }
}

/// <summary>One connection's part of the login page.</summary>
public sealed record LoginSection(TenantConnection Connection, IReadOnlyList<SocialProfile> Profiles)
{
    public string Title => Connection.Strategy switch
    {
        TenantConnection.Strategies.Database => "Email and password",
        TenantConnection.Strategies.Sms => "Text message",
        "google-oauth2" => "Google",
        "github" => "GitHub",
        "facebook" => "Facebook",
        _ => Connection.Name,
    };

    /// <summary>Database first, then social, then passwordless, as Auth0's universal login lays them out.</summary>
    public static int Rank(TenantConnection c) => c.IsDatabase ? 0 : c.IsSocial ? 1 : 2;
}
