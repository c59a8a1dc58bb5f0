namespace OpsDesk.Db.Auth;

/// <summary>What revoking a key did. Revoking twice is not an error.</summary>
public enum RevokeOutcome
{
    NotFound,
    Revoked,
    AlreadyRevoked,
}
