using Microsoft.Extensions.Options;
using OpsDesk.Api.Security;
using OpsDesk.Db.Auth;

namespace OpsDesk.Api.Auth;

/// <summary>Checks <c>Auth:*</c> at start, including the one rule that spans sections: no anonymous create without rate limits in Production.</summary>
public sealed class AuthOptionsValidator(IHostEnvironment environment, IOptions<RateLimitOptions> rateLimits) : IValidateOptions<AuthOptions>
{
    public const int BootstrapKeyMinLength = 24;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (options.BootstrapAdminKey is { } key
            && (key.Length < BootstrapKeyMinLength || key.Length > Secrets.MaxPresentedLength || key.Any(c => c < 0x21 || c > 0x7e)))
        {
            errors.Add($"Auth:BootstrapAdminKey ({AuthOptions.BootstrapKeyVariable}) must be {BootstrapKeyMinLength}–{Secrets.MaxPresentedLength} printable ASCII characters without spaces.");
        }

        var jwt = options.Jwt;
        if (jwt.Enabled)
        {
            if (!Uri.TryCreate(jwt.Authority, UriKind.Absolute, out _))
                errors.Add($"Auth:Jwt:Authority must be an absolute URL (got '{jwt.Authority}').");
            if (string.IsNullOrWhiteSpace(jwt.Audience))
                errors.Add("Auth:Jwt:Audience is required when Auth:Jwt:Authority is set.");
        }

        if (string.IsNullOrWhiteSpace(jwt.RoleClaim))
            errors.Add("Auth:Jwt:RoleClaim must name a claim (default: role).");
        foreach (var (from, to) in jwt.RoleMap)
        {
            if (!ApiKeyRoles.All.Contains(to, StringComparer.Ordinal))
                errors.Add($"Auth:Jwt:RoleMap:{from} must be one of: {string.Join(", ", ApiKeyRoles.All)} (got '{to}').");
        }

        if (environment.IsProduction() && options.AllowAnonymousCreate && !rateLimits.Value.Enabled)
        {
            errors.Add("Auth:AllowAnonymousCreate is true while RateLimits:Enabled is false: in Production anonymous ticket " +
                       "creation must be rate limited. Set RateLimits:Enabled=true or Auth:AllowAnonymousCreate=false.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
