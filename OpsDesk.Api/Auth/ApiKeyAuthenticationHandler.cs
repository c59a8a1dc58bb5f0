using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer odk_...</c>. The key is looked up by its non-secret
/// prefix on every request (a primary-key-like read), so revocation applies to the next request;
/// the hash is compared in constant time. last_used_at is written at most once a minute per key.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRepository keys,
    ApiKeyVerifier verifier,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Open endpoints (health, public docs) do not look at credentials: no database read for a probe.
        if (Context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            return AuthenticateResult.NoResult();
        if (!Request.Headers.TryGetValue("Authorization", out var header))
            return AuthenticateResult.NoResult();
        if (!BearerCredential.TryParse(header, out var key))
            return AuthenticateResult.Fail(BearerCredential.MalformedMessage);

        var (row, good) = await verifier.VerifyAsync(key, Context.RequestAborted);
        if (!good)
        {
            LogRejected(Logger, row?.Id);
            return AuthenticateResult.Fail(BearerCredential.RejectedMessage);
        }

        if (row!.LastUsedAt is not { } used || time.GetUtcNow().UtcDateTime - used >= ApiKeyRepository.LastUsedGranularity)
            await keys.TouchAsync(row.Id, Context.RequestAborted);

        return AuthenticateResult.Success(new AuthenticationTicket(ApiKeyVerifier.Principal(row, AuthSchemes.ApiKey), AuthSchemes.ApiKey));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AuthProblems.WriteUnauthorizedAsync(Context, result.Failure?.Message);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthProblems.WriteForbiddenAsync(Context);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key refused (key id {KeyId})")]
    private static partial void LogRejected(ILogger logger, long? keyId);
}
