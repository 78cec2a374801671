import { z } from "zod";
import { SERVER_ID_PATTERN } from "@/lib/schemas/server";

export const serverParamsSchema = z.object({ serverId: z.string().regex(SERVER_ID_PATTERN) });
