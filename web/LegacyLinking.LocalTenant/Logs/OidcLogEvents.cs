using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LegacyLinking.LocalTenant.Logs;

/// <summary>
/// Auth0's log events for the OIDC endpoints, written as OpenIddict applies each answer (so every outcome is seen,
/// including requests OpenIddict itself rejects): token exchanges (<c>seacft</c>/<c>feacft</c> for a code,
/// <c>seccft</c>/<c>feccft</c> for client credentials, <c>sertft</c>/<c>fertft</c> for a refresh token) and silent
/// authentication (<c>ssa</c>/<c>fsa</c> for <c>prompt=none</c>). A failure's description is the error description
/// the client got; tokens are never logged.
/// </summary>
public static class OidcLogEvents
{
    /// <summary>Where the signed-in subject waits between sign-in and the answer (the answer itself does not carry it).</summary>
    private const string SubjectProperty = ".ll.log_subject";

    /// <summary>Before any other handler: the answer is complete, and later handlers may already write it.</summary>
    private const int Order = int.MinValue + 100_000;

    public static IEnumerable<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseInlineHandler(context =>
            {
                if (context.Principal?.GetClaim(Claims.Subject) is { } subject) context.Transaction.Properties[SubjectProperty] = subject;
                return default;
            })
            .SetOrder(Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<TokenExchangeLogger>()
            // Once the error is Auth0's (Oidc/Auth0TokenErrors), just before the JSON is written.
            .SetOrder(Oidc.Auth0TokenErrors.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseScopedHandler<SilentAuthenticationLogger>()
            .SetOrder(Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
    ];

    internal static string? Subject(OpenIddictServerTransaction transaction) =>
        transaction.Properties.TryGetValue(SubjectProperty, out var subject) ? subject as string : null;

    /// <summary>The exchange's success and failure types for a grant, or null for a grant Auth0 has no exchange event for here.</summary>
    public static (string Success, string Failure, string Description)? TypesFor(string? grantType) => grantType switch
    {
        GrantTypes.AuthorizationCode => (LogTypes.SuccessExchangeAuthorizationCode, LogTypes.FailedExchangeAuthorizationCode, "Authorization Code for Access Token"),
        GrantTypes.ClientCredentials => (LogTypes.SuccessExchangeClientCredentials, LogTypes.FailedExchangeClientCredentials, "Client Credentials for Access Token"),
        GrantTypes.RefreshToken => (LogTypes.SuccessExchangeRefreshToken, LogTypes.FailedExchangeRefreshToken, "Refresh Token for Access Token"),
        _ => null,
    };
}

public sealed class TokenExchangeLogger(TenantLog log) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (OidcLogEvents.TypesFor(context.Request?.GrantType) is not var (success, failure, description)) return;
        var failed = !string.IsNullOrEmpty(context.Response.Error);
        await log.WriteAsync(new TenantLogEntry(
            failed ? failure : success,
            failed ? context.Response.ErrorDescription ?? context.Response.Error! : description)
        {
            ClientId = context.Request?.ClientId,
            UserId = failed ? null : OidcLogEvents.Subject(context.Transaction),
        }, context.CancellationToken);
    }
}

public sealed class SilentAuthenticationLogger(TenantLog log) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        if (context.Request is not { } request || !request.HasPromptValue(PromptValues.None)) return;
        var failed = !string.IsNullOrEmpty(context.Response.Error);
        await log.WriteAsync(new TenantLogEntry(
            failed ? LogTypes.FailedSilentAuth : LogTypes.SuccessSilentAuth,
            failed ? context.Response.ErrorDescription ?? context.Response.Error! : "Successful silent authentication")
        {
            ClientId = request.ClientId,
            UserId = failed ? null : OidcLogEvents.Subject(context.Transaction),
        }, context.CancellationToken);
    }
}
