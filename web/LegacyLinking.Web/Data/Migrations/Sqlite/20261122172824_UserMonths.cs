using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UserMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flow_user_months",
                columns: table => new
                {
                    Month = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Days = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_user_months", x => new { x.Month, x.Operation, x.Flow, x.UserId });
                });

            // One row per user, flow and month with a bit per day, from the rows per user, flow and day.
            migrationBuilder.Sql("""
                INSERT INTO "flow_user_months" ("Month", "Operation", "Flow", "UserId", "Days")
                SELECT substr("Day", 1, 7) || '-01 00:00:00', "Operation", "Flow", "UserId",
                       SUM(1 << (CAST(substr("Day", 9, 2) AS INTEGER) - 1))
                FROM "flow_user_days"
                GROUP BY substr("Day", 1, 7), "Operation", "Flow", "UserId";
                """);

            migrationBuilder.DropTable(
                name: "flow_user_days");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flow_user_days",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_user_days", x => new { x.Day, x.Operation, x.Flow, x.UserId });
                });

            migrationBuilder.Sql("""
                WITH RECURSIVE "days"("n") AS (SELECT 1 UNION ALL SELECT "n" + 1 FROM "days" WHERE "n" < 31)
                INSERT INTO "flow_user_days" ("Day", "Operation", "Flow", "UserId")
                SELECT substr("Month", 1, 8) || printf('%02d', "n") || ' 00:00:00', "Operation", "Flow", "UserId"
                FROM "flow_user_months" JOIN "days" ON ("Days" >> ("n" - 1)) & 1 = 1;
                """);

            migrationBuilder.DropTable(
                name: "flow_user_months");
        }
    }
}
