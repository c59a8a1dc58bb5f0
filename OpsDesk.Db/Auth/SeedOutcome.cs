namespace OpsDesk.Db.Auth;

/// <summary>What seeding a given key (the bootstrap admin key) did.</summary>
public enum SeedOutcome
{
    /// <summary>The key was stored.</summary>
    Created,

    /// <summary>The key was already stored and is active: nothing changed.</summary>
    Exists,

    /// <summary>The key was stored once and has been revoked since: it stays revoked.</summary>
    Revoked,

    /// <summary>Another key holds the same prefix: nothing changed.</summary>
    PrefixTaken,
}
