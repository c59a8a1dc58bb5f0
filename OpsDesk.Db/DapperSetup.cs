namespace OpsDesk.Db;

/// <summary>Process-wide Dapper conventions: snake_case columns map to PascalCase properties.</summary>
public static class DapperSetup
{
    private static int done;

    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref done, 1) == 0)
            Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
    }
}
